package org.rlaifv;

import java.util.List;

/**
 * Plain text in, text out: the LLM behind the prompted claim splitter and questioner. Adapt any
 * chat model (a local one, an HTTP client) by implementing this one method. Implementations should
 * decode deterministically (greedy or seeded) so runs are reproducible.
 */
@FunctionalInterface
public interface TextGenerator {

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
