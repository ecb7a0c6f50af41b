package org.rlaifv.core.text;

import java.util.List;
import org.rlaifv.TextGenerator;

/**
 * A {@link TextGenerator} that reports, beside each text, the generated ids and why generation
 * ended; {@link #generate} and {@link #generateAll} are its completions' texts. Every backend's
 * model-backed generator implements it.
 */
public interface CompletionGenerator extends TextGenerator {
  /**
   * Generates the completions of several prompts.
   *
   * @param prompts the user texts
   * @return one completion per prompt, in order
   */
  List<Completion> complete(List<String> prompts);

  /**
   * Generates the completion of one prompt.
   *
   * @param prompt the user text
   * @return the generated text
   */
  @Override
  default String generate(String prompt) {
    return complete(List.of(prompt)).get(0).text();
  }

  /**
   * Generates the completions of several prompts together.
   *
   * @param prompts the user texts
   * @return one text per prompt, in order
   */
  @Override
  default List<String> generateAll(List<String> prompts) {
    return complete(prompts).stream().map(Completion::text).toList();
  }
}
