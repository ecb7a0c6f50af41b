package org.rlaifv;

import java.util.List;
import java.util.Objects;

/**
 * The scored candidate responses of one prompt: the unit a {@link PairSelector} pairs within.
 *
 * @param prompt the prompt
 * @param responses its scored candidates
 */
public record Candidates(Prompt prompt, List<ScoredResponse> responses) {
  /**
   * Copies the list and checks that every response answers the prompt.
   *
   * @throws InvalidInputException naming the prompt on a mismatch
   */
  public Candidates {
    Objects.requireNonNull(prompt, "prompt");
    responses = Checks.copy(responses, "candidates of prompt " + prompt.id());
    for (ScoredResponse r : responses) {
      if (!r.response().promptId().equals(prompt.id())) {
        throw new InvalidInputException(
            "candidates of prompt " + prompt.id() + " include a response to "
                + r.response().promptId());
      }
    }
  }
}
