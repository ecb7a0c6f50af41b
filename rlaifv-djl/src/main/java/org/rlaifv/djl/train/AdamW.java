package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.InvalidInputException;

/**
 * AdamW (Loshchilov and Hutter) over a named set of parameters, updating them in place: PyTorch's
 * {@code torch.optim.AdamW} with bias correction and decoupled weight decay.
 *
 * <p>Per step and parameter {@code p} with gradient {@code g} (scaled by {@code gradScale}): {@code
 * p -= lr * wd * p}; {@code m = b1 m + (1 - b1) g}; {@code v = b2 v + (1 - b2) g^2}; {@code p -= lr
 * * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}. Parameters with fewer than two dimensions
 * (biases, norm scales) get no weight decay, as is usual for transformers.
 *
 * <p>The moment estimates live in this optimizer's own manager, a sub-manager of the parameters'
 * manager created at construction and kept out of any {@link NDScope}, so a per-step scope cannot
 * free them. {@link #step} runs without autograd tracking and zeroes the gradients afterwards.
 *
 * <pre>{@code
 * try (AdamW opt = new AdamW(model.parameters(), 0.9, 0.999, 1e-8, 0.01)) {
 *   // forward + backward in a GradientCollector, then:
 *   opt.step(lr, Gradients.clipFactor(Gradients.globalNorm(params), 1.0));
 * }
 * }</pre>
 *
 * <p>Not thread-safe. The caller closes the optimizer (freeing its state); the parameters stay
 * owned by their model.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> parameters;
  private final List<PtNDArray> weights = new ArrayList<>();
  private final List<PtNDArray> means = new ArrayList<>();
  private final List<PtNDArray> variances = new ArrayList<>();
  private final List<Boolean> decays = new ArrayList<>();
  private final NDManager stateManager;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private long steps;

  /**
   * Creates the optimizer with PyTorch's defaults (betas 0.9 and 0.999, eps 1e-8).
   *
   * @param parameters trainable float parameters by name; gradients are attached when missing
   * @param weightDecay decoupled weight decay, &gt;= 0
   */
  public AdamW(Map<String, NDArray> parameters, double weightDecay) {
    this(parameters, 0.9, 0.999, 1e-8, weightDecay);
  }

  /**
   * Creates the optimizer and its zero-initialised state.
   *
   * @param parameters trainable float parameters by name (not empty); gradients are attached when
   *     missing
   * @param beta1 decay of the first moment, in [0, 1)
   * @param beta2 decay of the second moment, in [0, 1)
   * @param eps denominator term, &gt; 0
   * @param weightDecay decoupled weight decay, &gt;= 0
   * @throws InvalidInputException when an argument is out of range
   */
  public AdamW(
      Map<String, NDArray> parameters, double beta1, double beta2, double eps, double weightDecay) {
    if (parameters.isEmpty()) {
      throw new InvalidInputException("AdamW needs at least one parameter");
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new InvalidInputException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0) || !(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new InvalidInputException(
          "AdamW needs eps > 0 and weight decay >= 0, got " + eps + ", " + weightDecay);
    }
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.stateManager = parameters.values().iterator().next().getManager().newSubManager();
    for (Map.Entry<String, NDArray> e : this.parameters.entrySet()) {
      NDArray p = e.getValue();
      if (!p.getDataType().isFloating()) {
        throw new InvalidInputException("parameter " + e.getKey() + " is not floating point");
      }
      if (!p.hasGradient()) {
        p.setRequiresGradient(true);
      }
      NDArray m = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
      NDArray v = stateManager.zeros(p.getShape(), p.getDataType(), p.getDevice());
      // Built outside any scope on purpose; unregister in case the caller opened one anyway.
      NDScope.unregister(m, v);
      weights.add(Gradients.pt(p));
      means.add(Gradients.pt(m));
      variances.add(Gradients.pt(v));
      decays.add(p.getShape().dimension() >= 2);
    }
  }

  /**
   * Applies one update to every parameter from its current gradient, then zeroes the gradients.
   *
   * @param learningRate the step's learning rate (from the schedule), &gt;= 0
   * @param gradScale factor applied to every gradient first (clipping, accumulation), finite
   * @throws InvalidInputException when an argument is not finite or negative
   */
  public void step(double learningRate, double gradScale) {
    if (!(learningRate >= 0) || !Double.isFinite(learningRate) || !Double.isFinite(gradScale)) {
      throw new InvalidInputException(
          "AdamW step needs a finite learning rate >= 0 and a finite gradient scale, got "
              + learningRate
              + ", "
              + gradScale);
    }
    steps++;
    double bc1 = 1.0 - Math.pow(beta1, steps);
    double bc2 = 1.0 - Math.pow(beta2, steps);
    // lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) == lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps*sqrt(bc2))
    float correctedLr = (float) (learningRate * Math.sqrt(bc2) / bc1);
    float correctedEps = (float) (eps * Math.sqrt(bc2));
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int i = 0; i < weights.size(); i++) {
        PtNDArray w = weights.get(i);
        try (PtNDArray g = w.getGradient()) {
          JniUtils.adamUpdate(
              w,
              g,
              means.get(i),
              variances.get(i),
              (float) learningRate,
              correctedLr,
              decays.get(i) ? (float) weightDecay : 0f,
              (float) gradScale,
              -1f,
              (float) beta1,
              (float) beta2,
              correctedEps,
              true);
        }
        JniUtils.zeroGrad(w);
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Zeroes every parameter's gradient without updating (to drop a bad batch's gradients).
   */
  public void zeroGradients() {
    Gradients.zero(parameters.values());
  }

  /**
   * Returns the parameters this optimizer updates.
   *
   * @return the parameters by name, in insertion order, unmodifiable
   */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /**
   * Returns the number of updates applied so far.
   *
   * @return the step count
   */
  public long stepCount() {
    return steps;
  }

  /** Frees the moment estimates; the parameters are untouched. */
  @Override
  public void close() {
    stateManager.close();
  }
}
