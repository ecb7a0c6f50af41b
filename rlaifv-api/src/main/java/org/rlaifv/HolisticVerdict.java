package org.rlaifv;

/**
 * The labeler's judgement of a whole response at once, the alternative to RLAIF-V's verdicts on
 * atomic claims: one question about the entire answer and the score read from the labeler's
 * answer probabilities (for example p_yes of "is this accurate?", or the expected value of a
 * rating).
 *
 * <p>A verdict is {@linkplain #abstained() abstained} when the labeler put almost no probability
 * mass on the answers the score is read from (the scorer's threshold decides); an abstained verdict
 * leaves its response unscored.
 *
 * @param question the question the labeler answered, as asked (before its chat template)
 * @param score the score read from the answer probabilities; finite
 * @param mass the probability mass on the answers the score is read from, in [0, 1]
 * @param abstained whether the mass fell under the scorer's abstention threshold
 */
public record HolisticVerdict(String question, double score, double mass, boolean abstained) {

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the question is blank, the score is not finite or the mass
   *     is outside [0, 1]
   */
  public HolisticVerdict {
    Checks.nonBlank(question, "holistic question");
    if (!Double.isFinite(score)) {
      throw new InvalidInputException("holistic score of '" + question + "' is " + score
          + "; it must be finite");
    }
    if (!(mass >= 0 && mass <= 1 + ClaimVerdict.MASS_TOLERANCE)) {
      throw new InvalidInputException("answer mass of '" + question + "' is " + mass
          + "; it must be in [0, 1]");
    }
  }
}
