package org.rlaifv.testkit;

import java.util.Objects;

/**
 * Entry point of the fluent JUnit 5 assertions on a {@link JudgeReport}.
 *
 * <pre>{@code
 * import static org.rlaifv.testkit.JudgeAssertions.assertThat;
 *
 * assertThat(report).accuracyAtLeast(0.9).balancedAccuracyAtLeast(0.85).calibrationErrorAtMost(0.05);
 * }</pre>
 *
 * <p>A failed check throws {@link org.opentest4j.AssertionFailedError} whose message gives the
 * figure, the bound, the set's size and the most confident wrong answers.
 */
public final class JudgeAssertions {
  private JudgeAssertions() {}

  /**
   * Starts assertions on a report.
   *
   * @param report the report to check
   * @return the assertion object
   */
  public static JudgeReportAssert assertThat(JudgeReport report) {
    return new JudgeReportAssert(Objects.requireNonNull(report, "report"));
  }
}
