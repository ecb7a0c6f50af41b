package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;

/**
 * A sampler with scripted responses, for testing loops without a policy model. Response {@code i}
 * of a prompt records seed {@code params.seedFor(i)}, as a real sampler does, and a token count of
 * 0 (unknown).
 *
 * <pre>{@code
 * ResponseSampler sampler = ScriptedSampler.of((prompt, seed) ->
 *     seed % 2 == 0 ? "there is a red circle." : "there is a red circle. there is a blue cross.");
 * ResponseSampler fixed = ScriptedSampler.byPrompt(Map.of("p1", List.of("a.", "b.", "c.")));
 * }</pre>
 *
 * <p>Every prompt sampled is recorded ({@link #prompts()}). Thread-safe.
 */
public final class ScriptedSampler implements ResponseSampler {

  /** Computes the text of one sample. */
  @FunctionalInterface
  public interface Script {
    /**
     * Returns the text of sample {@code index} of a prompt.
     *
     * @param prompt the prompt
     * @param index the sample index, from 0
     * @param seed the sample's seed, {@code params.seedFor(index)}
     * @return the text; not null
     */
    String text(Prompt prompt, int index, long seed);
  }

  private final Script script;
  private final List<Prompt> prompts = new ArrayList<>();

  private ScriptedSampler(Script script) {
    this.script = script;
  }

  /**
   * Creates a sampler whose text is a function of the prompt, the sample index and its seed.
   *
   * @param script the script
   * @return the sampler
   */
  public static ScriptedSampler of(Script script) {
    return new ScriptedSampler(Objects.requireNonNull(script, "script"));
  }

  /**
   * Creates a sampler whose text is a function of the prompt and the sample's seed.
   *
   * @param textOf maps (prompt, seed) to the text
   * @return the sampler
   */
  public static ScriptedSampler of(BiFunction<Prompt, Long, String> textOf) {
    Objects.requireNonNull(textOf, "textOf");
    return new ScriptedSampler((prompt, index, seed) -> textOf.apply(prompt, seed));
  }

  /**
   * Creates a sampler giving sample {@code i} of every prompt the text {@code texts[i % size]}.
   *
   * @param texts the texts, at least one
   * @return the sampler
   * @throws IllegalArgumentException when the list is empty
   */
  public static ScriptedSampler cycling(List<String> texts) {
    List<String> copy = List.copyOf(texts);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("cycling needs at least one text");
    }
    return new ScriptedSampler((prompt, index, seed) -> copy.get(index % copy.size()));
  }

  /**
   * Creates a sampler with a list of texts per prompt id; sample {@code i} is text {@code i}.
   *
   * @param textsByPromptId prompt id to texts
   * @return the sampler; sampling an unknown prompt, or more samples than it has texts, throws
   *     {@link IllegalStateException} naming the prompt
   */
  public static ScriptedSampler byPrompt(Map<String, List<String>> textsByPromptId) {
    Map<String, List<String>> table = new HashMap<>();
    textsByPromptId.forEach((id, texts) -> table.put(id, List.copyOf(texts)));
    return new ScriptedSampler((prompt, index, seed) -> {
      List<String> texts = table.get(prompt.id());
      if (texts == null) {
        throw new IllegalStateException("ScriptedSampler has no script for prompt " + prompt.id());
      }
      if (index >= texts.size()) {
        throw new IllegalStateException("ScriptedSampler has " + texts.size()
            + " texts for prompt " + prompt.id() + " but sample " + index + " was asked for");
      }
      return texts.get(index);
    });
  }

  /**
   * Returns {@code params.n()} scripted responses, sample {@code i} with seed {@code
   * params.seedFor(i)}.
   *
   * @param prompt the prompt
   * @param params the sampling parameters
   * @return the responses, in index order
   * @throws NullPointerException when an argument is null or the script returns null
   */
  @Override
  public List<Response> sample(Prompt prompt, SamplingParams params) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(params, "params");
    synchronized (prompts) {
      prompts.add(prompt);
    }
    List<Response> out = new ArrayList<>(params.n());
    for (int i = 0; i < params.n(); i++) {
      long seed = params.seedFor(i);
      int index = i;
      String text = Objects.requireNonNull(script.text(prompt, i, seed),
          () -> "scripted text of sample " + index + " of prompt " + prompt.id());
      out.add(new Response(prompt.id(), i, text, seed, 0));
    }
    return out;
  }

  /**
   * Returns the prompts sampled so far, in call order.
   *
   * @return a snapshot
   */
  public List<Prompt> prompts() {
    synchronized (prompts) {
      return List.copyOf(prompts);
    }
  }
}
