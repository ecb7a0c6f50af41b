package org.rlaifv;

import java.util.List;

/**
 * Plain text in, text out: the LLM behind the prompted claim splitter and questioner. Adapt any
 * chat model (a local one, an HTTP client) by implementing this one method. Implementations should
 * decode deterministically (greedy or seeded) so runs are reproducible.
 *
 * <p>Model-backed generators ({@link org.rlaifv.spi.BackendProvider#newTextGenerator}) put each
 * prompt into the model's chat template as one user turn with the generation prompt, decode
 * greedily unless told to sample, and stop at the model's end-of-sequence ids, at a stop string
 * (the text is cut before it) or at the token limit. When sampling, the generator draws a prompt's
 * tokens from a {@link java.util.SplittableRandom} seeded with {@link Seeds#mix(long, String)
 * Seeds.mix(decoding.seedFor(0), prompt)}: the seed depends on the prompt text only, so a prompt
 * gives the same text alone and inside any batch. Backends holding native memory release it in
 * {@link #close()}; the code that created the generator closes it.
 *
 * <pre>{@code
 * try (TextGenerator llm = Backends.get("djl").newTextGenerator(
 *     Checkpoint.of(Path.of("Qwen2.5-0.5B-Instruct")), BackendOptions.defaults())) {
 *   ClaimSplitter splitter = new PromptedClaimSplitter(llm);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface TextGenerator extends AutoCloseable {

  /** The token limit of {@link org.rlaifv.spi.BackendProvider#newTextGenerator(Checkpoint,
   * org.rlaifv.spi.BackendOptions)}. */
  int DEFAULT_MAX_NEW_TOKENS = 512;

  /**
   * Returns greedy decoding settings for a text generator: one completion per prompt,
   * temperature 0, no stop strings.
   *
   * @param maxNewTokens the token limit, at least 1
   * @return the settings
   * @throws InvalidInputException when the limit is below 1
   */
  static SamplingParams greedy(int maxNewTokens) {
    return SamplingParams.builder().n(1).temperature(0).maxNewTokens(maxNewTokens).build();
  }

  /**
   * Generates a completion.
   *
   * @param prompt the full prompt text
   * @return the generated text
   */
  String generate(String prompt);

  /**
   * Generates completions for several prompts; implementations may override to batch.
   *
   * @param prompts the prompts
   * @return one completion per prompt, in order
   */
  default List<String> generateAll(List<String> prompts) {
    return prompts.stream().map(this::generate).toList();
  }

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the generator's class name; generators backed
   *     by a model override it to name the checkpoint and decoding settings
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
