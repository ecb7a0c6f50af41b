package org.rlaifv;

import java.util.Objects;

/**
 * A claim rewritten as a yes/no question ("there is a red circle." becomes "is there a red
 * circle?"). A "yes" from the labeler supports the claim.
 *
 * @param claim the claim the question checks
 * @param question the polar question, not blank
 */
public record PolarQuestion(Claim claim, String question) {
  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the question is blank
   */
  public PolarQuestion {
    Objects.requireNonNull(claim, "claim");
    Checks.nonBlank(question, "polar question for claim '" + claim.text() + "'");
  }
}
