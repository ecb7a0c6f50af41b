package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.ClaimSplitter;
import org.rlaifv.Provenance;
import org.rlaifv.TextGenerator;

/**
 * RLAIF-V's LLM-prompted claim splitter: asks a {@link TextGenerator} to list the facts of a
 * response as self-contained sentences, leaving out opinions, under a {@code ### Facts:} header.
 *
 * <p>The response is cut to its first {@value #MAX_INPUT_WORDS} words (white-space separated), as
 * in the reference, and put into {@link #PROMPT_TEMPLATE} in place of {@code {response}}. The
 * output is read with a tolerant {@link LlmListParser}; an output with no readable fact gives no
 * claims (the response then stays unscored) and is counted in {@link #parser()}. An empty response
 * is not sent to the model. {@link #splitAll(List)} sends all prompts through {@link
 * TextGenerator#generateAll(List)} so a batching generator can batch them.
 *
 * <pre>{@code
 * ClaimSplitter splitter = new PromptedClaimSplitter(prompt -> myChatModel.complete(prompt));
 * }</pre>
 *
 * <p>Thread-safe when the generator is.
 */
public final class PromptedClaimSplitter implements ClaimSplitter {

  /** Most words of a response passed to the model; the rest is cut off. */
  public static final int MAX_INPUT_WORDS = 300;

  /** The header the model is asked to write its list under. */
  public static final String HEADER = "### Facts:";

  /** The prompt; {@code {response}} is replaced by the (cut) response. */
  public static final String PROMPT_TEMPLATE = """
      You extract facts from a description of an image. Rewrite every fact the description \
      states as a short, self-contained sentence that can be checked against the image on its \
      own: repeat the object instead of using "it" or "they", and split sentences that state \
      several facts. Leave out opinions, impressions and subjective statements. Do not add \
      anything the description does not say.

      Write the result in this format:
      ### Facts:
      - {fact 1}
      - {fact 2}
      - ...

      Example
      ### Description:
      There is a red circle and a blue square on the left. I think the picture looks lovely. \
      The circle is large.
      ### Facts:
      - There is a red circle on the left.
      - There is a blue square on the left.
      - The red circle is large.

      ### Description:
      {response}
      """;

  private final TextGenerator generator;
  private final LlmListParser parser = new LlmListParser(HEADER);
  private final LongAdder calls = new LongAdder();

  /**
   * Creates a splitter over a text generator.
   *
   * @param generator the LLM; should decode deterministically for reproducible runs
   */
  public PromptedClaimSplitter(TextGenerator generator) {
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  /**
   * Builds the prompt for one response.
   *
   * @param responseText the response
   * @return the full prompt text
   */
  public static String prompt(String responseText) {
    return PROMPT_TEMPLATE.replace("{response}", cut(responseText.strip(), MAX_INPUT_WORDS));
  }

  /**
   * Returns the first {@code maxWords} white-space separated words of a text, joined by single
   * spaces where the text was cut (the text itself when it is short enough).
   *
   * @param text the text
   * @param maxWords the word limit
   * @return the cut text
   */
  static String cut(String text, int maxWords) {
    String[] words = text.split("\\s+");
    if (words.length <= maxWords) {
      return text;
    }
    return String.join(" ", java.util.Arrays.copyOf(words, maxWords));
  }

  /**
   * Splits one response by asking the model.
   *
   * @param responseText the response
   * @return the claims; empty when the response is blank or the output holds no fact
   */
  @Override
  public List<Claim> split(String responseText) {
    return splitAll(List.of(responseText)).get(0);
  }

  /**
   * Splits several responses with one {@link TextGenerator#generateAll(List)} call.
   *
   * @param responseTexts the responses
   * @return one claim list per response, in order
   * @throws BackendException when the generator returns the wrong number of outputs
   */
  @Override
  public List<List<Claim>> splitAll(List<String> responseTexts) {
    List<String> outputs =
        GeneratorBatch.outputs(
            generator, responseTexts, t -> !t.isBlank(), PromptedClaimSplitter::prompt, "claim-splitting", calls);
    List<List<Claim>> out = new ArrayList<>(responseTexts.size());
    for (String output : outputs) {
      List<Claim> claims = new ArrayList<>();
      if (output != null) {
        for (String item : parser.parse(output)) {
          claims.add(new Claim(item));
        }
      }
      out.add(List.copyOf(claims));
    }
    return out;
  }

  /**
   * Returns the parser, whose counters tell how many outputs held no readable fact.
   *
   * @return the parser
   */
  public LlmListParser parser() {
    return parser;
  }

  /**
   * Returns the number of prompts sent to the model.
   *
   * @return the count
   */
  public long calls() {
    return calls.sum();
  }

  /**
   * Describes the splitter: its generator and a SHA-256 of its prompt template.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("promptTemplate.sha256", org.rlaifv.core.io.AtomicFiles.sha256(
            PROMPT_TEMPLATE.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .with("maxInputWords", MAX_INPUT_WORDS)
        .withPart("generator", generator.provenance());
  }
}
