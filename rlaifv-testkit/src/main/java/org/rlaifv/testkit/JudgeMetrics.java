package org.rlaifv.testkit;

import java.util.Arrays;
import org.rlaifv.InvalidInputException;

/**
 * The binary-classification figures of a {@link JudgeReport}, as plain functions over arrays so
 * they can be checked against hand-computed values.
 */
public final class JudgeMetrics {
  private JudgeMetrics() {}

  /**
   * Returns {@code pYes / (pYes + pNo)}, or 0.5 when both are 0.
   *
   * @param pYes probability of yes
   * @param pNo probability of no
   * @return the normalised probability of yes
   */
  public static double normalisedYes(double pYes, double pNo) {
    double mass = pYes + pNo;
    return mass > 0 ? pYes / mass : 0.5;
  }

  /**
   * Returns the area under the ROC curve of {@code scores} for the positive labels, by the
   * Mann-Whitney U statistic with tied scores given their average rank (a tie between a positive
   * and a negative counts one half).
   *
   * @param scores one score per item, higher meaning more likely positive
   * @param positive the labels
   * @return the AUROC in [0, 1], or NaN when one class is absent
   * @throws InvalidInputException when the arrays differ in length or a score is NaN
   */
  public static double auroc(double[] scores, boolean[] positive) {
    checkLengths(scores.length, positive.length);
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(scores[i])) {
        throw new InvalidInputException("score " + i + " is NaN");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double positiveRankSum = 0;
    long positives = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // ranks are 1-based
      for (int k = i; k <= j; k++) {
        if (positive[order[k]]) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /**
   * Returns the expected calibration error of probabilities of the positive class: items fall in
   * {@code bins} equal-width bins over [0, 1] (p = 1 goes in the last), and the error is {@code
   * sum_b (n_b / n) * |mean p in b - fraction positive in b|}.
   *
   * @param p probability of the positive class per item, in [0, 1]
   * @param positive the labels
   * @param bins number of bins, at least 1
   * @return the error in [0, 1], or NaN when there are no items
   * @throws InvalidInputException when the arrays differ in length, {@code bins < 1} or a
   *     probability is outside [0, 1]
   */
  public static double expectedCalibrationError(double[] p, boolean[] positive, int bins) {
    checkLengths(p.length, positive.length);
    if (bins < 1) {
      throw new InvalidInputException("bins must be at least 1, got " + bins);
    }
    if (p.length == 0) {
      return Double.NaN;
    }
    double[] sumP = new double[bins];
    int[] count = new int[bins];
    int[] pos = new int[bins];
    for (int i = 0; i < p.length; i++) {
      if (!(p[i] >= 0 && p[i] <= 1)) {
        throw new InvalidInputException("probability " + i + " is outside [0, 1]: " + p[i]);
      }
      int b = Math.min((int) Math.floor(p[i] * bins), bins - 1);
      sumP[b] += p[i];
      count[b]++;
      if (positive[i]) {
        pos[b]++;
      }
    }
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        ece += Math.abs(sumP[b] / count[b] - (double) pos[b] / count[b]) * count[b] / p.length;
      }
    }
    return ece;
  }

  /**
   * Returns the balanced accuracy: the mean of the recall on positives and the recall on
   * negatives; with one class absent, the recall on the class present.
   *
   * @param truePositives positives answered positive
   * @param positives all positives
   * @param trueNegatives negatives answered negative
   * @param negatives all negatives
   * @return the balanced accuracy in [0, 1], or NaN when there are no items
   * @throws InvalidInputException when a count is negative or a true count exceeds its class
   */
  public static double balancedAccuracy(
      int truePositives, int positives, int trueNegatives, int negatives) {
    if (truePositives < 0 || trueNegatives < 0 || truePositives > positives
        || trueNegatives > negatives) {
      throw new InvalidInputException(
          "inconsistent counts: " + truePositives + "/" + positives + " positives, "
              + trueNegatives + "/" + negatives + " negatives");
    }
    if (positives == 0 && negatives == 0) {
      return Double.NaN;
    }
    if (positives == 0) {
      return (double) trueNegatives / negatives;
    }
    if (negatives == 0) {
      return (double) truePositives / positives;
    }
    return 0.5 * ((double) truePositives / positives + (double) trueNegatives / negatives);
  }

  private static void checkLengths(int a, int b) {
    if (a != b) {
      throw new InvalidInputException("got " + a + " scores but " + b + " labels");
    }
  }
}
