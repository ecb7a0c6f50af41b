package org.rlaifv;

import java.util.List;
import java.util.Objects;

/**
 * The labeler's answer to a {@link ChoiceQuestion}: the probability it puts on each option at the
 * first answer position, in option order. The probabilities need not sum to 1 (the labeler may put
 * mass on other tokens); their sum is the {@linkplain #mass() mass}. A verdict is {@linkplain
 * #abstained() abstained} when that mass fell under the judge's threshold.
 *
 * @param question the question answered
 * @param probabilities one probability per option, each in [0, 1], summing to at most 1
 * @param abstained whether the mass fell under the judge's abstention threshold
 */
public record ChoiceVerdict(ChoiceQuestion question, List<Double> probabilities,
    boolean abstained) {

  /**
   * Validates and copies the probabilities.
   *
   * @throws InvalidInputException when there is not one probability per option, one is outside
   *     [0, 1], or they sum above 1
   */
  public ChoiceVerdict {
    Objects.requireNonNull(question, "question");
    probabilities = Checks.copy(probabilities, "probabilities of '" + question.question() + "'");
    if (probabilities.size() != question.options().size()) {
      throw new InvalidInputException("choice verdict on '" + question.question() + "' has "
          + probabilities.size() + " probabilities for " + question.options().size() + " options");
    }
    double sum = 0;
    for (int i = 0; i < probabilities.size(); i++) {
      sum += Checks.probability(probabilities.get(i),
          "probability of '" + question.options().get(i) + "' for '" + question.question() + "'");
    }
    if (sum > 1 + ClaimVerdict.MASS_TOLERANCE) {
      throw new InvalidInputException("probabilities of '" + question.question() + "' sum to "
          + sum + " > 1");
    }
  }

  /**
   * Creates a verdict that abstains when the probabilities sum under {@code abstainBelow}.
   *
   * @param question the question answered
   * @param probabilities one probability per option
   * @param abstainBelow abstention threshold on the mass
   * @return the verdict
   */
  public static ChoiceVerdict of(
      ChoiceQuestion question, List<Double> probabilities, double abstainBelow) {
    double sum = 0;
    for (Double p : probabilities) {
      sum += Objects.requireNonNull(p, "probability");
    }
    return new ChoiceVerdict(question, probabilities, sum < abstainBelow);
  }

  /**
   * Returns the probability mass on the options.
   *
   * @return the sum of the probabilities
   */
  public double mass() {
    double sum = 0;
    for (double p : probabilities) {
      sum += p;
    }
    return sum;
  }
}
