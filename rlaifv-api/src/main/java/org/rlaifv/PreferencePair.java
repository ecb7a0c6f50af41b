package org.rlaifv;

import java.util.Objects;

/**
 * A preference pair for DPO: two responses to one prompt, the chosen one preferred.
 *
 * @param prompt the prompt both respond to
 * @param chosen the preferred response (y_w)
 * @param rejected the dispreferred response (y_l)
 */
public record PreferencePair(Prompt prompt, ScoredResponse chosen, ScoredResponse rejected) {
  /**
   * Checks that both responses answer the prompt.
   *
   * @throws InvalidInputException naming the prompt when a response answers another prompt
   */
  public PreferencePair {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    if (!chosen.response().promptId().equals(prompt.id())
        || !rejected.response().promptId().equals(prompt.id())) {
      throw new InvalidInputException(
          "pair for prompt "
              + prompt.id()
              + " holds responses to "
              + chosen.response().promptId()
              + " and "
              + rejected.response().promptId());
    }
  }
}
