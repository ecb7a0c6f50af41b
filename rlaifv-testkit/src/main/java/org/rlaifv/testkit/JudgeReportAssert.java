package org.rlaifv.testkit;

import java.util.Locale;
import org.opentest4j.AssertionFailedError;

/**
 * Fluent checks on a {@link JudgeReport}; obtain one with {@link
 * JudgeAssertions#assertThat(JudgeReport)}. Each check returns this object so checks chain, and
 * throws {@link AssertionFailedError} on the first figure out of bounds. An undefined (NaN) figure
 * fails every bound, with a message saying why it is undefined.
 */
public final class JudgeReportAssert {
  private final JudgeReport report;

  JudgeReportAssert(JudgeReport report) {
    this.report = report;
  }

  /**
   * Checks that the accuracy is at least {@code min}.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the accuracy is lower
   */
  public JudgeReportAssert accuracyAtLeast(double min) {
    return atLeast("accuracy", report.accuracy(), min, "");
  }

  /**
   * Checks that the balanced accuracy is at least {@code min}.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the balanced accuracy is lower
   */
  public JudgeReportAssert balancedAccuracyAtLeast(double min) {
    return atLeast("balanced accuracy", report.balancedAccuracy(), min, "");
  }

  /**
   * Checks that the AUROC of pYes is at least {@code min}.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the AUROC is lower or undefined (one class only)
   */
  public JudgeReportAssert aurocAtLeast(double min) {
    return atLeast("AUROC", report.auroc(), min, "the set holds only one gold answer");
  }

  /**
   * Checks that the expected calibration error is at most {@code max}.
   *
   * @param max the upper bound
   * @return this object
   * @throws AssertionFailedError when the error is higher or undefined (every answer abstained)
   */
  public JudgeReportAssert calibrationErrorAtMost(double max) {
    return atMost(
        "expected calibration error", report.expectedCalibrationError(), max,
        "every verdict abstained");
  }

  /**
   * Checks that the abstain rate is at most {@code max}.
   *
   * @param max the upper bound
   * @return this object
   * @throws AssertionFailedError when the rate is higher
   */
  public JudgeReportAssert abstainRateAtMost(double max) {
    return atMost("abstain rate", report.abstainRate(), max, "");
  }

  /**
   * Checks that at least {@code min} of the repeated questions got the same answer.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the rate is lower or no question was repeated
   */
  public JudgeReportAssert repeatConsistencyAtLeast(double min) {
    return atLeast("repeat consistency", report.repeatConsistency(), min,
        "the harness repeated no question");
  }

  /**
   * Checks that at least {@code min} of the question/negation pairs got opposite answers.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the rate is lower or no pair was checked
   */
  public JudgeReportAssert negationConsistencyAtLeast(double min) {
    return atLeast("negation consistency", report.negationConsistency(), min,
        "no question/negation pair was checked");
  }

  /**
   * Checks that the set held at least {@code min} questions, so the figures mean something.
   *
   * @param min the lower bound
   * @return this object
   * @throws AssertionFailedError when the set was smaller
   */
  public JudgeReportAssert sizeAtLeast(int min) {
    if (report.n() < min) {
      throw new AssertionFailedError(
          "judge report covers " + report.n() + " questions, fewer than the required " + min,
          min, report.n());
    }
    return this;
  }

  /**
   * Returns the report under test.
   *
   * @return the report
   */
  public JudgeReport report() {
    return report;
  }

  private JudgeReportAssert atLeast(String name, double actual, double min, String whyUndefined) {
    if (!(actual >= min)) {
      fail(name, actual, "at least", min, whyUndefined);
    }
    return this;
  }

  private JudgeReportAssert atMost(String name, double actual, double max, String whyUndefined) {
    if (!(actual <= max)) {
      fail(name, actual, "at most", max, whyUndefined);
    }
    return this;
  }

  private void fail(String name, double actual, String relation, double bound, String whyUndefined) {
    String figure = Double.isNaN(actual)
        ? "is undefined (" + whyUndefined + ")"
        : String.format(Locale.ROOT, "is %.3f", actual);
    String message = String.format(Locale.ROOT,
        "judge %s %s, required %s %.3f\n%s\n%s",
        name, figure, relation, bound, report.summary().lines().findFirst().orElse(""),
        report.describeWorstItems());
    throw new AssertionFailedError(message, bound, actual);
  }
}
