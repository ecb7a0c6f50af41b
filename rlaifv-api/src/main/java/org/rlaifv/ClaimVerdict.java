package org.rlaifv;

import java.util.Objects;

/**
 * The labeler's answer to one polar question: the probability mass it puts on "yes" and on "no"
 * (each summed over the word's casings) at the first answer position.
 *
 * <p>A claim is {@linkplain #rejected() rejected} when {@code pNo >= pYes}: a tie rejects. A verdict
 * is {@linkplain #abstained() abstained} when the labeler put almost no mass on either answer (the
 * judge's threshold decides); abstained verdicts count neither way in a score and are reported.
 *
 * @param question the question answered
 * @param pYes P("yes") + P("Yes"), in [0, 1]
 * @param pNo P("no") + P("No"), in [0, 1]
 * @param abstained whether the yes/no mass fell under the judge's abstention threshold
 */
public record ClaimVerdict(PolarQuestion question, double pYes, double pNo, boolean abstained) {

  /** Slack allowed on {@code pYes + pNo <= 1} for floating-point rounding. */
  public static final double MASS_TOLERANCE = 1e-4;

  /**
   * Validates the probabilities.
   *
   * @throws InvalidInputException when a probability is outside [0, 1] or they sum above 1
   */
  public ClaimVerdict {
    Objects.requireNonNull(question, "question");
    Checks.probability(pYes, "pYes of '" + question.question() + "'");
    Checks.probability(pNo, "pNo of '" + question.question() + "'");
    if (pYes + pNo > 1 + MASS_TOLERANCE) {
      throw new InvalidInputException(
          "pYes + pNo = " + (pYes + pNo) + " > 1 for '" + question.question() + "'");
    }
  }

  /**
   * Creates a verdict that abstains when {@code pYes + pNo < abstainBelow}.
   *
   * @param question the question answered
   * @param pYes probability of yes
   * @param pNo probability of no
   * @param abstainBelow abstention threshold on the yes/no mass
   * @return the verdict
   */
  public static ClaimVerdict of(
      PolarQuestion question, double pYes, double pNo, double abstainBelow) {
    return new ClaimVerdict(question, pYes, pNo, pYes + pNo < abstainBelow);
  }

  /**
   * Returns whether the labeler rejects the claim: {@code pNo >= pYes} (ties reject).
   *
   * @return true when the claim is rejected
   */
  public boolean rejected() {
    return pNo >= pYes;
  }

  /**
   * Returns whether this verdict counts as a rejection in a score: rejected and not abstained.
   *
   * @return true when it lowers the response's score
   */
  public boolean countsAsRejection() {
    return !abstained && rejected();
  }
}
