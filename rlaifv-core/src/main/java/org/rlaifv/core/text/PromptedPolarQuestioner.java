package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Provenance;
import org.rlaifv.TextGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RLAIF-V's LLM-prompted questioner: asks a {@link TextGenerator} to rewrite each claim of a
 * response as a yes/no question without changing tense, adding content or dropping negation,
 * under a {@code ### Modified sentences:} header, one question per claim in order.
 *
 * <p>When the model returns as many questions as there were claims, they are matched by position.
 * When the count differs, the output is counted ({@link #countMismatches()}) and each question is
 * matched to the first not yet matched claim, at or after the previous match, that shares at least
 * half of its content words; questions that match no claim are dropped, and claims left without a
 * question are not judged. {@link #questionsAll(List)} sends all prompts through {@link
 * TextGenerator#generateAll(List)}.
 *
 * <pre>{@code
 * PolarQuestioner questioner = new PromptedPolarQuestioner(prompt -> myChatModel.complete(prompt));
 * }</pre>
 *
 * <p>Thread-safe when the generator is.
 */
public final class PromptedPolarQuestioner implements PolarQuestioner {
  private static final Logger LOG = LoggerFactory.getLogger(PromptedPolarQuestioner.class);

  /** The header the model is asked to write its questions under. */
  public static final String HEADER = "### Modified sentences:";

  /** The prompt; {@code {claims}} is replaced by one {@code - claim} line per claim. */
  public static final String PROMPT_TEMPLATE = """
      You turn declarative sentences into yes/no questions. Rewrite each sentence below, one by \
      one and in the same order, as a general question that can be answered with yes or no. Do \
      not change the tense and do not add content. If a sentence contains "not", "no" or another \
      negative word, the question must keep it.

      Write the result in this format, one question per sentence:
      ### Modified sentences:
      - {question 1}
      - {question 2}
      - ...

      Example
      ### Declarative sentences:
      - There is a red circle on the left.
      - The square was not blue.
      - The cat has a long tail.
      ### Modified sentences:
      - Is there a red circle on the left?
      - Was the square not blue?
      - Does the cat have a long tail?

      ### Declarative sentences:
      {claims}
      """;

  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "the", "is", "are", "was", "were", "do", "does", "did", "there", "it", "of", "to",
      "be", "and", "in", "on", "at", "has", "have", "had", "can", "will", "that", "this");

  private final TextGenerator generator;
  private final LlmListParser parser = new LlmListParser(HEADER);
  private final LongAdder calls = new LongAdder();
  private final LongAdder mismatches = new LongAdder();
  private final LongAdder unmatchedClaims = new LongAdder();

  /**
   * Creates a questioner over a text generator.
   *
   * @param generator the LLM; should decode deterministically for reproducible runs
   */
  public PromptedPolarQuestioner(TextGenerator generator) {
    this.generator = Objects.requireNonNull(generator, "generator");
  }

  /**
   * Builds the prompt for the claims of one response.
   *
   * @param claims the claims, at least one
   * @return the full prompt text
   */
  public static String prompt(List<Claim> claims) {
    StringBuilder sb = new StringBuilder();
    for (Claim c : claims) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append("- ").append(c.text().strip().replaceAll("\\s+", " "));
    }
    return PROMPT_TEMPLATE.replace("{claims}", sb);
  }

  /**
   * Rewrites the claims of one response with one model call.
   *
   * @param claims the claims
   * @return the questions, each naming its claim, in claim order
   */
  @Override
  public List<PolarQuestion> questions(List<Claim> claims) {
    return questionsAll(List.of(claims)).get(0);
  }

  /**
   * Rewrites the claims of several responses with one {@link TextGenerator#generateAll(List)}
   * call.
   *
   * @param claimsPerResponse the claims of each response
   * @return one question list per response, in order
   * @throws BackendException when the generator returns the wrong number of outputs
   */
  @Override
  public List<List<PolarQuestion>> questionsAll(List<List<Claim>> claimsPerResponse) {
    List<String> outputs =
        GeneratorBatch.outputs(
            generator,
            claimsPerResponse,
            claims -> !claims.isEmpty(),
            PromptedPolarQuestioner::prompt,
            "question-writing",
            calls);
    List<List<PolarQuestion>> out = new ArrayList<>(claimsPerResponse.size());
    for (int i = 0; i < outputs.size(); i++) {
      String output = outputs.get(i);
      out.add(output == null ? List.of() : match(claimsPerResponse.get(i), parser.parse(output)));
    }
    return out;
  }

  private List<PolarQuestion> match(List<Claim> claims, List<String> questions) {
    List<PolarQuestion> out = new ArrayList<>();
    if (questions.size() == claims.size()) {
      for (int i = 0; i < claims.size(); i++) {
        out.add(new PolarQuestion(claims.get(i), questions.get(i)));
      }
      return out;
    }
    mismatches.increment();
    int next = 0;
    for (String q : questions) {
      Set<String> qWords = contentWords(q);
      for (int c = next; c < claims.size(); c++) {
        if (overlap(contentWords(claims.get(c).text()), qWords) >= 0.5) {
          out.add(new PolarQuestion(claims.get(c), q));
          next = c + 1;
          break;
        }
      }
    }
    unmatchedClaims.add(claims.size() - out.size());
    LOG.debug("model wrote {} questions for {} claims; matched {}", questions.size(),
        claims.size(), out.size());
    return out;
  }

  private static Set<String> contentWords(String text) {
    Set<String> out = new HashSet<>();
    for (String w : English.lower(text).split("[^a-z0-9']+")) {
      if (!w.isEmpty() && !STOP_WORDS.contains(w)) {
        out.add(w.endsWith("s") && w.length() > 3 ? w.substring(0, w.length() - 1) : w);
      }
    }
    return out;
  }

  /** Share of the claim's content words found in the question (1 when the claim has none). */
  private static double overlap(Set<String> claimWords, Set<String> questionWords) {
    if (claimWords.isEmpty()) {
      return questionWords.isEmpty() ? 1.0 : 0.0;
    }
    int hit = 0;
    for (String w : claimWords) {
      if (questionWords.contains(w)) {
        hit++;
      }
    }
    return hit / (double) claimWords.size();
  }

  /**
   * Returns the parser, whose counters tell how many outputs held no readable question.
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
   * Returns the number of outputs whose question count differed from the claim count.
   *
   * @return the count
   */
  public long countMismatches() {
    return mismatches.sum();
  }

  /**
   * Returns the number of claims left without a question after a count mismatch.
   *
   * @return the count
   */
  public long unmatchedClaims() {
    return unmatchedClaims.sum();
  }

  /**
   * Describes the questioner: its generator and a SHA-256 of its prompt template.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("promptTemplate.sha256", org.rlaifv.core.io.AtomicFiles.sha256(
            PROMPT_TEMPLATE.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .withPart("generator", generator.provenance());
  }
}
