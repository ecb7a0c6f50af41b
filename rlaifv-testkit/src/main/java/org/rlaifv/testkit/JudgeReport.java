package org.rlaifv.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How well a judge answered a labelled set: the figures {@link JudgeHarness} computes, with the
 * judged items behind them.
 *
 * <p>Figures that cannot be computed are NaN: AUROC when the set holds one class only, the
 * calibration error when every answer abstained, a consistency rate when no check of that kind
 * could be made. Check them with {@link JudgeAssertions#assertThat(JudgeReport)}.
 *
 * @param n number of labelled questions
 * @param positives number whose gold answer is yes
 * @param accuracy share answered correctly (abstentions count as wrong)
 * @param balancedAccuracy mean of the recall on yes items and on no items
 * @param auroc area under the ROC curve of pYes against the gold answers
 * @param expectedCalibrationError ECE of the normalised p = pYes / (pYes + pNo) over the
 *     non-abstained items, in equal-width bins
 * @param abstainRate share of abstained verdicts
 * @param repeatConsistency share of questions that, asked a second time, got the same answer
 * @param repeatChecks number of repeated questions
 * @param negationConsistency share of question/negation pairs answered oppositely (an abstention
 *     on either side counts as not opposite)
 * @param negationChecks number of question/negation pairs checked
 * @param worstItems the most confident wrong answers, most confident first
 * @param items every labelled question with its verdict, in input order
 */
public record JudgeReport(
    int n,
    int positives,
    double accuracy,
    double balancedAccuracy,
    double auroc,
    double expectedCalibrationError,
    double abstainRate,
    double repeatConsistency,
    int repeatChecks,
    double negationConsistency,
    int negationChecks,
    List<JudgedItem> worstItems,
    List<JudgedItem> items) {

  /**
   * Copies the lists.
   *
   * @throws NullPointerException when a list or element is null
   */
  public JudgeReport {
    worstItems = List.copyOf(Objects.requireNonNull(worstItems, "worstItems"));
    items = List.copyOf(Objects.requireNonNull(items, "items"));
  }

  /**
   * Returns the number of labelled questions whose gold answer is no.
   *
   * @return {@code n - positives}
   */
  public int negatives() {
    return n - positives;
  }

  /**
   * Returns the headline figures under the names the {@code judge-eval} command writes: {@code n,
   * accuracy, balanced_accuracy, auroc, ece, abstain_rate, repeat_consistency,
   * negation_consistency}.
   *
   * @return an ordered map from name to value (NaN where undefined)
   */
  public Map<String, Number> metrics() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("accuracy", accuracy);
    m.put("balanced_accuracy", balancedAccuracy);
    m.put("auroc", auroc);
    m.put("ece", expectedCalibrationError);
    m.put("abstain_rate", abstainRate);
    m.put("repeat_consistency", repeatConsistency);
    m.put("negation_consistency", negationConsistency);
    return m;
  }

  /**
   * Returns a short human summary: the figures on one line, then the worst items.
   *
   * @return the summary, several lines
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "n %d (%d yes, %d no), accuracy %s, balanced accuracy %s, AUROC %s, ECE %s, abstain rate %s,"
            + " repeat consistency %s (%d checks), negation consistency %s (%d pairs)",
        n, positives, negatives(), fmt(accuracy), fmt(balancedAccuracy), fmt(auroc),
        fmt(expectedCalibrationError), fmt(abstainRate), fmt(repeatConsistency), repeatChecks,
        fmt(negationConsistency), negationChecks));
    sb.append('\n').append(describeWorstItems());
    return sb.toString();
  }

  /**
   * Describes the worst items, one per line, or says there were no wrong answers.
   *
   * @return the description
   */
  public String describeWorstItems() {
    if (worstItems.isEmpty()) {
      return "no confidently wrong answers";
    }
    StringBuilder sb = new StringBuilder("most confident wrong answers:");
    for (int i = 0; i < worstItems.size(); i++) {
      sb.append("\n  ").append(i + 1).append(". ").append(worstItems.get(i).describe());
    }
    return sb.toString();
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "undefined" : String.format(Locale.ROOT, "%.3f", v);
  }

  @Override
  public String toString() {
    return "JudgeReport[" + summary().replace('\n', ' ') + "]";
  }
}
