package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rlaifv.DpoLossType;

class DjlDpoLossTest {
  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }


  private static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Closed-form loss and dL/dz, z = (pc - rc) - (pr - rr). */
  private static double[] closedForm(DpoLossType type, double z, double beta, double eps) {
    double h = beta * z;
    return switch (type) {
      case SIGMOID -> new double[] {softplus(-h), -beta * sigmoid(-h)};
      case IPO -> {
        double d = z - 1 / (2 * beta);
        yield new double[] {d * d, 2 * d};
      }
      case HINGE -> new double[] {Math.max(0, 1 - h), 1 - h > 0 ? -beta : 0};
      case ROBUST ->
          new double[] {
            ((1 - eps) * softplus(-h) - eps * softplus(h)) / (1 - 2 * eps),
            ((1 - eps) * -beta * sigmoid(-h) - eps * beta * sigmoid(h)) / (1 - 2 * eps)
          };
      case LABEL_SMOOTHED ->
          new double[] {
            (1 - eps) * softplus(-h) + eps * softplus(h),
            (1 - eps) * -beta * sigmoid(-h) + eps * beta * sigmoid(h)
          };
    };
  }

  @ParameterizedTest
  @EnumSource(DpoLossType.class)
  void lossAndGradientMatchTheClosedForm(DpoLossType type) {
    Random rnd = new Random(type.ordinal() + 7L);
    int n = 16;
    float[] pc = new float[n];
    float[] pr = new float[n];
    float[] rc = new float[n];
    float[] rr = new float[n];
    for (int i = 0; i < n; i++) {
      pc[i] = (float) (-20 + 10 * rnd.nextGaussian());
      pr[i] = (float) (-20 + 10 * rnd.nextGaussian());
      rc[i] = (float) (-20 + 10 * rnd.nextGaussian());
      rr[i] = (float) (-20 + 10 * rnd.nextGaussian());
    }
    double beta = type == DpoLossType.IPO ? 0.5 : 0.1;
    double eps = 0.1;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray apc = m.create(pc);
      NDArray apr = m.create(pr);
      apc.setRequiresGradient(true);
      apr.setRequiresGradient(true);
      float[] losses;
      float[] chosenRewards;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        DjlDpoLoss.Output out =
            DjlDpoLoss.compute(apc, apr, m.create(rc), m.create(rr), type, beta, eps);
        losses = out.losses().toFloatArray();
        chosenRewards = out.chosenRewards().toFloatArray();
        gc.backward(out.losses().sum());
      }
      float[] gc = apc.getGradient().toFloatArray();
      float[] gr = apr.getGradient().toFloatArray();
      for (int i = 0; i < n; i++) {
        double z = ((double) pc[i] - rc[i]) - ((double) pr[i] - rr[i]);
        double[] want = closedForm(type, z, beta, eps);
        assertEquals(want[0], losses[i], 1e-5 * Math.max(1, Math.abs(want[0])), type + " loss " + i);
        assertEquals(want[1], gc[i], 1e-5, type + " d/d pi_w " + i);
        assertEquals(-want[1], gr[i], 1e-5, type + " d/d pi_l " + i);
        assertEquals(beta * ((double) pc[i] - rc[i]), chosenRewards[i], 1e-5, "reward " + i);
      }
    }
  }

  @Test
  void policyEqualToReferenceGivesLn2OnEveryPair() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray c = m.create(new float[] {-3f, -40f, -0.5f, -120f});
      NDArray r = m.create(new float[] {-7f, -2f, -90f, -1f});
      float[] losses =
          DjlDpoLoss.compute(c, r, c.duplicate(), r.duplicate(), DpoLossType.SIGMOID, 0.1, 0)
              .losses()
              .toFloatArray();
      for (float l : losses) {
        assertEquals(Math.log(2), l, 1e-6);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DpoLossType.class)
  void lossGradientAndRewardsMatchCoreDpoLoss(DpoLossType type) {
    Random rnd = new Random(100 + type.ordinal());
    int n = 12;
    double[] pc = new double[n];
    double[] pr = new double[n];
    double[] rc = new double[n];
    double[] rr = new double[n];
    for (int i = 0; i < n; i++) {
      pc[i] = (float) (-30 + 8 * rnd.nextGaussian());
      pr[i] = (float) (-30 + 8 * rnd.nextGaussian());
      rc[i] = (float) (-30 + 8 * rnd.nextGaussian());
      rr[i] = (float) (-30 + 8 * rnd.nextGaussian());
    }
    double beta = 0.1;
    double eps = 0.2;
    org.rlaifv.core.dpo.DpoLoss core = new org.rlaifv.core.dpo.DpoLoss(type, beta, eps);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray apc = m.create(toFloat(pc));
      NDArray apr = m.create(toFloat(pr));
      apc.setRequiresGradient(true);
      apr.setRequiresGradient(true);
      float[] losses;
      float[] chosenRewards;
      float[] rejectedRewards;
      try (GradientCollector gc = m.getEngine().newGradientCollector()) {
        DjlDpoLoss.Output out = DjlDpoLoss.compute(
            apc, apr, m.create(toFloat(rc)), m.create(toFloat(rr)), type, beta, eps);
        losses = out.losses().toFloatArray();
        chosenRewards = out.chosenRewards().toFloatArray();
        rejectedRewards = out.rejectedRewards().toFloatArray();
        gc.backward(out.losses().sum());
      }
      float[] gc = apc.getGradient().toFloatArray();
      float[] gr = apr.getGradient().toFloatArray();
      for (int i = 0; i < n; i++) {
        org.rlaifv.core.dpo.DpoLoss.PairLoss want = core.pair(pc[i], pr[i], rc[i], rr[i]);
        assertEquals(want.loss(), losses[i], 1e-5 * Math.max(1, Math.abs(want.loss())), type + " loss " + i);
        assertEquals(want.gradPolicyChosen(), gc[i], 1e-5, type + " d/d pi_w " + i);
        assertEquals(want.gradPolicyRejected(), gr[i], 1e-5, type + " d/d pi_l " + i);
        assertEquals(want.rewardChosen(), chosenRewards[i], 1e-5, "chosen reward " + i);
        assertEquals(want.rewardRejected(), rejectedRewards[i], 1e-5, "rejected reward " + i);
      }
    }
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
