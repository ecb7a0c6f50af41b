package org.rlaifv.core.dpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoLossType;
import org.rlaifv.InvalidInputException;

class DpoLossTest {
  private static final double LN2 = Math.log(2);

  @Test
  void sigmoidLossIsLn2WhenPolicyEqualsReference() {
    DpoLoss loss = new DpoLoss(DpoLossType.SIGMOID, 0.1, 0);
    DpoLoss.PairLoss p = loss.pair(-12.5, -30.25, -12.5, -30.25);
    assertEquals(LN2, p.loss(), 1e-15);
    assertEquals(-0.05, p.gradPolicyChosen(), 1e-15);
    assertEquals(0.05, p.gradPolicyRejected(), 1e-15);
    assertEquals(0.0, p.margin());
  }

  @Test
  void knownValues() {
    // logits = (pi_w - pi_l) - (ref_w - ref_l) = (-10 - -20) - (-11 - -11) = 10; beta 0.1 -> h = 1.
    double pc = -10;
    double pr = -20;
    double rc = -11;
    double rr = -11;
    assertEquals(Math.log1p(Math.exp(-1)),
        new DpoLoss(DpoLossType.SIGMOID, 0.1, 0).pair(pc, pr, rc, rr).loss(), 1e-15);
    // IPO: (10 - 1 / 0.2)^2 = 25.
    assertEquals(25.0, new DpoLoss(DpoLossType.IPO, 0.1, 0).pair(pc, pr, rc, rr).loss(), 1e-12);
    // Hinge: relu(1 - 1) = 0, and 1 at logits 0.
    assertEquals(0.0, new DpoLoss(DpoLossType.HINGE, 0.1, 0).pair(pc, pr, rc, rr).loss(), 1e-15);
    assertEquals(1.0, new DpoLoss(DpoLossType.HINGE, 0.1, 0).pair(0, 0, 0, 0).loss());
    // cDPO: 0.8 * softplus(-1) + 0.2 * softplus(1).
    assertEquals(0.8 * Math.log1p(Math.exp(-1)) + 0.2 * Math.log1p(Math.exp(1)),
        new DpoLoss(DpoLossType.LABEL_SMOOTHED, 0.1, 0.2).pair(pc, pr, rc, rr).loss(), 1e-12);
    // Robust: (0.8 * softplus(-1) - 0.2 * softplus(1)) / 0.6.
    assertEquals((0.8 * Math.log1p(Math.exp(-1)) - 0.2 * Math.log1p(Math.exp(1))) / 0.6,
        new DpoLoss(DpoLossType.ROBUST, 0.1, 0.2).pair(pc, pr, rc, rr).loss(), 1e-12);
    // IPO at logits 0 with beta 0.5: (0 - 1)^2 = 1.
    assertEquals(1.0, new DpoLoss(DpoLossType.IPO, 0.5, 0).pair(0, 0, 0, 0).loss(), 1e-15);
  }

  @ParameterizedTest
  @EnumSource(DpoLossType.class)
  void smoothedVariantsAgreeWithSigmoidAtEpsZeroAndAllAreLn2OrKnownAtZero(DpoLossType type) {
    DpoLoss l = new DpoLoss(type, 0.1, 0.0);
    double at0 = l.pair(-5, -5, -5, -5).loss();
    double expected = switch (type) {
      case SIGMOID, ROBUST, LABEL_SMOOTHED -> LN2;
      case HINGE -> 1.0;
      case IPO -> 25.0;
    };
    assertEquals(expected, at0, 1e-12);
    assertEquals(LN2, new DpoLoss(DpoLossType.LABEL_SMOOTHED, 0.1, 0.3).pair(1, 1, 1, 1).loss(),
        1e-12);
    assertEquals(LN2, new DpoLoss(DpoLossType.ROBUST, 0.1, 0.3).pair(1, 1, 1, 1).loss(), 1e-12);
  }

  @ParameterizedTest
  @EnumSource(DpoLossType.class)
  void analyticGradientsMatchFiniteDifferences(DpoLossType type) {
    Random rng = new Random(7);
    for (double beta : new double[] {0.05, 0.1, 0.5, 2.0}) {
      DpoLoss loss = new DpoLoss(type, beta, 0.15);
      for (int t = 0; t < 200; t++) {
        double pc = -50 * rng.nextDouble();
        double pr = -50 * rng.nextDouble();
        double rc = -50 * rng.nextDouble();
        double rr = -50 * rng.nextDouble();
        double h = beta * ((pc - pr) - (rc - rr));
        if (type == DpoLossType.HINGE && Math.abs(1 - h) < 1e-3) {
          continue; // the kink
        }
        DpoLoss.PairLoss p = loss.pair(pc, pr, rc, rr);
        double step = 1e-5;
        double numC = (loss.pair(pc + step, pr, rc, rr).loss()
            - loss.pair(pc - step, pr, rc, rr).loss()) / (2 * step);
        double numR = (loss.pair(pc, pr + step, rc, rr).loss()
            - loss.pair(pc, pr - step, rc, rr).loss()) / (2 * step);
        double tol = 1e-6 * Math.max(1, Math.abs(numC));
        assertEquals(numC, p.gradPolicyChosen(), tol, type + " chosen at h=" + h);
        assertEquals(numR, p.gradPolicyRejected(), tol, type + " rejected at h=" + h);
      }
    }
  }

  @Test
  void logSigmoidIsStableAtTheExtremes() {
    assertEquals(-1000.0, DpoLoss.logSigmoid(-1000), 1e-12);
    assertEquals(0.0, DpoLoss.logSigmoid(1000), 0.0);
    assertEquals(-Math.exp(-40), DpoLoss.logSigmoid(40), 1e-30);
    assertEquals(-LN2, DpoLoss.logSigmoid(0), 1e-15);
    assertEquals(0.0, DpoLoss.sigmoid(-1000), 0.0);
    assertEquals(1.0, DpoLoss.sigmoid(1000), 0.0);
    DpoLoss.PairLoss far = new DpoLoss(DpoLossType.SIGMOID, 1, 0).pair(0, 5000, 0, 0);
    assertEquals(5000.0, far.loss(), 1e-9);
    assertEquals(-1.0, far.gradPolicyChosen(), 1e-12);
  }

  @Property(tries = 200)
  void lossesAreFiniteAndSigmoidFamilyNonNegative(
      @ForAll @DoubleRange(min = -1e4, max = 0) double pc,
      @ForAll @DoubleRange(min = -1e4, max = 0) double pr,
      @ForAll @DoubleRange(min = -1e4, max = 0) double rc,
      @ForAll @DoubleRange(min = -1e4, max = 0) double rr) {
    for (DpoLossType type : DpoLossType.values()) {
      DpoLoss.PairLoss p = new DpoLoss(type, 0.1, 0.1).pair(pc, pr, rc, rr);
      assertTrue(Double.isFinite(p.loss()) && Double.isFinite(p.gradPolicyChosen()), type.name());
      if (type != DpoLossType.ROBUST) {
        assertTrue(p.loss() >= 0, type + " loss " + p.loss());
      }
      // Plain DPO and hinge never push the chosen log-prob down (IPO and the smoothed variants
      // do once the margin is large).
      if (type == DpoLossType.SIGMOID || type == DpoLossType.HINGE) {
        assertTrue(p.gradPolicyChosen() <= 0);
      }
      assertEquals(-p.gradPolicyChosen(), p.gradPolicyRejected(), 0.0);
    }
  }

  @Test
  void batchReportsTrlMetrics() {
    DpoLoss loss = DpoLoss.of(DpoConfig.builder().beta(0.5).build());
    DpoLoss.Batch b = loss.compute(
        new double[] {-1, -4}, new double[] {-3, -2},
        new double[] {-2, -3}, new double[] {-2, -3});
    // rewards chosen: 0.5*(1), 0.5*(-1); rejected: 0.5*(-1), 0.5*(1).
    assertEquals(0.0, b.rewardsChosen(), 1e-15);
    assertEquals(0.0, b.rewardsRejected(), 1e-15);
    assertEquals(0.5, b.rewardsAccuracy(), 1e-15);
    assertEquals(-2.5, b.logpsChosen(), 1e-15);
    assertEquals(-2.5, b.logpsRejected(), 1e-15);
    double l0 = Math.log1p(Math.exp(-1));
    double l1 = Math.log1p(Math.exp(1));
    assertEquals((l0 + l1) / 2, b.meanLoss(), 1e-12);
    assertEquals(b.pairs().get(0).gradPolicyChosen() / 2, b.meanLossGradChosen()[0], 0.0);
    assertEquals(b.pairs().get(1).gradPolicyRejected() / 2, b.meanLossGradRejected()[1], 0.0);
    assertEquals(b.meanLoss(), b.metrics().get("loss"));
    assertEquals(0.0, b.metrics().get("rewards/margins"), 1e-15);
    assertEquals(0.5, b.metrics().get("rewards/accuracies"));
  }

  @Test
  void rejectsBadInputNamingThePair() {
    DpoLoss loss = new DpoLoss(DpoLossType.SIGMOID, 0.1, 0);
    var e = assertThrows(InvalidInputException.class, () -> loss.compute(
        new double[] {0, Double.NaN}, new double[] {0, 0}, new double[] {0, 0},
        new double[] {0, 0}));
    assertTrue(e.getMessage().contains("pair 1"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> loss.compute(
        new double[] {0}, new double[] {0, 0}, new double[] {0}, new double[] {0}));
    assertThrows(InvalidInputException.class, () -> loss.compute(
        new double[0], new double[0], new double[0], new double[0]));
    assertThrows(InvalidInputException.class, () -> new DpoLoss(DpoLossType.SIGMOID, 0, 0));
    assertThrows(InvalidInputException.class, () -> new DpoLoss(DpoLossType.ROBUST, 0.1, 0.5));
  }
}
