package org.rlaifv.core.io;

import java.util.List;
import java.util.Objects;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Response;

/**
 * One line of a run's {@code responses.jsonl}: every candidate sampled for one prompt. Keeping a
 * prompt's candidates on one line makes a prompt the unit that is finished, resumed or dropped.
 *
 * @param promptId the prompt's id
 * @param responses its candidates, in index order
 */
public record PromptResponses(String promptId, List<Response> responses) {
  /**
   * Validates that every response answers the prompt.
   *
   * @throws InvalidInputException naming the prompt on a mismatch
   */
  public PromptResponses {
    Objects.requireNonNull(promptId, "promptId");
    responses = List.copyOf(responses);
    for (Response r : responses) {
      if (!r.promptId().equals(promptId)) {
        throw new InvalidInputException(
            "responses of prompt " + promptId + " include one to prompt " + r.promptId());
      }
    }
  }
}
