package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }


  /** Loss = sum(c * w^2) + sum(d * b), so dL/dw = 2 c w and dL/db = d. */
  private static void backward(NDManager m, NDArray w, NDArray b, float[] c, float[] d) {
    try (NDScope scope = new NDScope();
        GradientCollector gc = m.getEngine().newGradientCollector()) {
      NDArray loss =
          w.square().mul(m.create(c, w.getShape())).sum().add(b.mul(m.create(d)).sum());
      gc.backward(loss);
    }
  }

  @Test
  void matchesClosedFormAdamWWithBiasCorrectionAndDecoupledDecay() {
    double lr = 0.05;
    double b1 = 0.9;
    double b2 = 0.99;
    double eps = 1e-8;
    double wd = 0.1;
    float[] c = {1f, -0.5f, 2f, 0.25f, 3f, -1f};
    float[] d = {0.3f, -2f};
    double[] w = {0.5, -1.0, 0.25, 2.0, -0.75, 1.5};
    double[] bias = {0.1, -0.2};
    double[] gradScale = {1.0, 0.5, 0.25};
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray wArr = m.create(toFloat(w), new Shape(2, 3));
      NDArray bArr = m.create(toFloat(bias));
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", wArr);
      params.put("b", bArr);
      double[] mw = new double[6];
      double[] vw = new double[6];
      double[] mb = new double[2];
      double[] vb = new double[2];
      try (AdamW opt = new AdamW(params, b1, b2, eps, wd)) {
        for (int t = 1; t <= 3; t++) {
          backward(m, wArr, bArr, c, d);
          opt.step(lr, gradScale[t - 1]);
          double bc1 = 1 - Math.pow(b1, t);
          double bc2 = 1 - Math.pow(b2, t);
          for (int i = 0; i < 6; i++) {
            double g = 2 * c[i] * w[i] * gradScale[t - 1];
            w[i] -= lr * wd * w[i];
            mw[i] = b1 * mw[i] + (1 - b1) * g;
            vw[i] = b2 * vw[i] + (1 - b2) * g * g;
            w[i] -= lr * (mw[i] / bc1) / (Math.sqrt(vw[i] / bc2) + eps);
          }
          for (int i = 0; i < 2; i++) { // 1-D: no weight decay
            double g = d[i] * gradScale[t - 1];
            mb[i] = b1 * mb[i] + (1 - b1) * g;
            vb[i] = b2 * vb[i] + (1 - b2) * g * g;
            bias[i] -= lr * (mb[i] / bc1) / (Math.sqrt(vb[i] / bc2) + eps);
          }
        }
        assertEquals(3, opt.stepCount());
      }
      assertArrayEquals(w, toDouble(wArr.toFloatArray()), 1e-5);
      assertArrayEquals(bias, toDouble(bArr.toFloatArray()), 1e-5);
    }
  }

  @Test
  void gradientsAccumulateUntilAStepZeroesThem() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, 2f}, new Shape(1, 2));
      NDArray b = m.create(new float[] {0f});
      Map<String, NDArray> params = Map.of("w", w, "b", b);
      try (AdamW opt = new AdamW(params, 0.0)) {
        float[] c = {1f, 1f};
        float[] d = {1f};
        backward(m, w, b, c, d);
        backward(m, w, b, c, d);
        try (NDArray g = w.getGradient()) {
          assertArrayEquals(new float[] {4f, 8f}, g.toFloatArray(), 1e-6f);
        }
        assertEquals(Math.sqrt(16 + 64 + 4), Gradients.globalNorm(params.values()), 1e-5);
        opt.step(0.0, 1.0);
        assertEquals(0.0, Gradients.globalNorm(params.values()), 0.0);
      }
    }
  }

  @Test
  void stateSurvivesAClosedStepScopeAndManagerDoesNotGrow() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(new float[] {1f, -1f, 0.5f, 2f}, new Shape(2, 2));
      NDArray b = m.create(new float[] {0.5f, 0.5f});
      Map<String, NDArray> params = Map.of("w", w, "b", b);
      try (AdamW opt = new AdamW(params, 0.01)) {
        int live = -1;
        for (int i = 0; i < 20; i++) {
          try (NDScope scope = new NDScope()) {
            backward(m, w, b, new float[] {1f, 1f, 1f, 1f}, new float[] {1f, 1f});
            double norm = Gradients.globalNorm(params.values());
            opt.step(0.01, Gradients.clipFactor(norm, 1.0));
          }
          int now = m.getManagedArrays().size();
          if (i == 2) {
            live = now;
          } else if (i > 2) {
            assertEquals(live, now, "live arrays at step " + i);
          }
        }
        // 20 steps of lr 0.01 with a positive gradient on b moved it down.
        assertTrue(b.toFloatArray()[0] < 0.4f);
      }
    }
  }

  @Test
  void clipFactorAndFiniteness() {
    assertEquals(1.0, Gradients.clipFactor(0.5, 1.0), 0);
    assertEquals(1.0, Gradients.clipFactor(50, 0), 0);
    assertEquals(0.5, Gradients.clipFactor(2.0, 1.0), 1e-6);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray ok = m.create(new float[] {1f, 2f});
      NDArray bad = m.create(new float[] {1f, Float.NaN});
      assertTrue(Gradients.allFinite(List.of(ok)));
      assertFalse(Gradients.allFinite(List.of(ok, bad)));
      assertFalse(Gradients.allFinite(List.of(m.create(new float[] {Float.POSITIVE_INFINITY}))));
    }
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  private static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
