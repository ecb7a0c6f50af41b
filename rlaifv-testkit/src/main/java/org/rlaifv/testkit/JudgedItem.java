package org.rlaifv.testkit;

import java.util.Locale;
import java.util.Objects;
import org.rlaifv.ClaimVerdict;

/**
 * A labelled question with the judge's verdict on it.
 *
 * <p>The judge's answer is "yes" when the verdict is neither abstained nor {@linkplain
 * ClaimVerdict#rejected() rejected}, "no" when it is rejected (a tie answers no), and none when it
 * abstained. An abstention is never correct.
 *
 * @param item the labelled question
 * @param verdict the judge's verdict
 */
public record JudgedItem(LabelledQuestion item, ClaimVerdict verdict) {

  /**
   * Checks the fields.
   *
   * @throws NullPointerException when a field is null
   */
  public JudgedItem {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(verdict, "verdict");
  }

  /**
   * Returns whether the judge abstained.
   *
   * @return true when the verdict abstained
   */
  public boolean abstained() {
    return verdict.abstained();
  }

  /**
   * Returns whether the judge answered "yes" (not abstained and {@code pYes > pNo}).
   *
   * @return true for a yes
   */
  public boolean answeredYes() {
    return !verdict.abstained() && !verdict.rejected();
  }

  /**
   * Returns whether the judge gave the gold answer (an abstention is not correct).
   *
   * @return true when correct
   */
  public boolean correct() {
    return !verdict.abstained() && answeredYes() == item.gold();
  }

  /**
   * Returns the normalised probability of yes, {@code pYes / (pYes + pNo)}, or 0.5 when the judge
   * put no mass on either answer.
   *
   * @return a probability in [0, 1]
   */
  public double normalisedYes() {
    return JudgeMetrics.normalisedYes(verdict.pYes(), verdict.pNo());
  }

  /**
   * Returns the normalised probability the judge gave to the answer it chose.
   *
   * @return a probability in [0.5, 1] (0.5 for a tie)
   */
  public double confidence() {
    double p = normalisedYes();
    return answeredYes() ? p : 1 - p;
  }

  /**
   * Returns a one-line description for reports: id (unless derived from image and question),
   * question, image, gold answer, the judge's answer and its probabilities.
   *
   * @return the description
   */
  public String describe() {
    String answer = abstained() ? "abstained" : answeredYes() ? "yes" : "no";
    // Items made by LabelledQuestion.of carry an id built from image and question: say it once.
    boolean derivedId = item.id().equals(item.imageName() + ": " + item.question());
    return String.format(
        Locale.ROOT,
        "%s\"%s\" (image %s): gold %s, judge %s (pYes %.3f, pNo %.3f)",
        derivedId ? "" : "[" + item.id() + "] ",
        item.question(),
        item.imageName(),
        item.goldAnswer(),
        answer,
        verdict.pYes(),
        verdict.pNo());
  }
}
