package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

class JudgeMetricsTest {

  @Test
  void aurocMatchesHandComputedValueWithoutTies() {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered right.
    double auc = JudgeMetrics.auroc(
        new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true});
    assertEquals(0.75, auc, 1e-12);
  }

  @Test
  void aurocCountsTiesAsHalf() {
    // Positives {0.5, 0.9}, negatives {0.5, 0.5}: 0.5 vs 0.5 twice (1/2 each), 0.9 wins twice.
    double auc = JudgeMetrics.auroc(
        new double[] {0.5, 0.5, 0.5, 0.9}, new boolean[] {true, false, false, true});
    assertEquals(3.0 / 4.0, auc, 1e-12);
    assertEquals(0.5, JudgeMetrics.auroc(new double[] {0.3, 0.3, 0.3}, new boolean[] {true, false, true}), 1e-12);
  }

  @Test
  void aurocOfAPerfectAndAReversedRanking() {
    boolean[] labels = {false, true, false, true, true};
    double[] perfect = {0.1, 0.9, 0.2, 0.8, 0.7};
    double[] reversed = {0.9, 0.1, 0.8, 0.2, 0.3};
    assertEquals(1.0, JudgeMetrics.auroc(perfect, labels), 1e-12);
    assertEquals(0.0, JudgeMetrics.auroc(reversed, labels), 1e-12);
  }

  @Test
  void aurocIsUndefinedWithOneClass() {
    assertTrue(Double.isNaN(JudgeMetrics.auroc(new double[] {0.2, 0.7}, new boolean[] {true, true})));
    assertThrows(InvalidInputException.class,
        () -> JudgeMetrics.auroc(new double[] {0.2}, new boolean[] {true, false}));
  }

  @Test
  void eceMatchesHandComputedValue() {
    // bin 0: p .05, 0 positive -> .05 * 1/4; bin 1: p .15, 1 positive -> .85 * 1/4;
    // bin 9: p .95 twice, 1 positive -> .45 * 2/4. Total .0125 + .2125 + .225 = .45.
    double ece = JudgeMetrics.expectedCalibrationError(
        new double[] {0.05, 0.15, 0.95, 0.95}, new boolean[] {false, true, true, false}, 10);
    assertEquals(0.45, ece, 1e-12);
  }

  @Test
  void eceOfPerfectlyCalibratedAndEdgeProbabilities() {
    // p = 1 falls in the last bin; p = 0 in the first.
    assertEquals(0.0, JudgeMetrics.expectedCalibrationError(
        new double[] {1.0, 0.0}, new boolean[] {true, false}, 10), 1e-12);
    // Four items at 0.25, one positive: calibrated.
    assertEquals(0.0, JudgeMetrics.expectedCalibrationError(
        new double[] {0.25, 0.25, 0.25, 0.25}, new boolean[] {true, false, false, false}, 10), 1e-12);
    // One bin only: |mean p - base rate| = |0.6 - 0.5|.
    assertEquals(0.1, JudgeMetrics.expectedCalibrationError(
        new double[] {0.2, 1.0}, new boolean[] {true, false}, 1), 1e-12);
    assertTrue(Double.isNaN(JudgeMetrics.expectedCalibrationError(new double[0], new boolean[0], 10)));
    assertThrows(InvalidInputException.class, () -> JudgeMetrics.expectedCalibrationError(
        new double[] {1.5}, new boolean[] {true}, 10));
  }

  @Test
  void balancedAccuracyMatchesHandComputedValue() {
    // Recall 3/4 on positives, 1/6 on negatives.
    assertEquals(0.5 * (0.75 + 1.0 / 6.0), JudgeMetrics.balancedAccuracy(3, 4, 1, 6), 1e-12);
    assertEquals(0.5, JudgeMetrics.balancedAccuracy(4, 4, 0, 6), 1e-12);
    assertEquals(2.0 / 3.0, JudgeMetrics.balancedAccuracy(0, 0, 2, 3), 1e-12);
    assertThrows(InvalidInputException.class, () -> JudgeMetrics.balancedAccuracy(5, 4, 0, 1));
  }

  @Test
  void normalisedYesHandlesZeroMass() {
    assertEquals(0.5, JudgeMetrics.normalisedYes(0, 0));
    assertEquals(0.75, JudgeMetrics.normalisedYes(0.3, 0.1), 1e-12);
  }
}
