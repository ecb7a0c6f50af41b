package org.rlaifv.core.io;

import java.util.List;
import java.util.Objects;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ScoredResponse;

/**
 * One line of a run's {@code scores.jsonl}: every scored candidate of one prompt, with the
 * labeler's verdicts on each claim.
 *
 * @param promptId the prompt's id
 * @param scored the scored candidates, in index order
 */
public record PromptScores(String promptId, List<ScoredResponse> scored) {
  /**
   * Validates that every response answers the prompt.
   *
   * @throws InvalidInputException naming the prompt on a mismatch
   */
  public PromptScores {
    Objects.requireNonNull(promptId, "promptId");
    scored = List.copyOf(scored);
    for (ScoredResponse s : scored) {
      if (!s.response().promptId().equals(promptId)) {
        throw new InvalidInputException(
            "scores of prompt " + promptId + " include a response to " + s.response().promptId());
      }
    }
  }
}
