package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import org.rlaifv.BackendException;

/**
 * Gradient utilities over a set of trainable parameters: the global L2 norm, the clipping factor,
 * zeroing, and a finiteness check of the weights.
 *
 * <p>Every temporary array lives in a sub-manager closed before the method returns, so calling
 * these methods does not grow the parameters' manager. Parameters must come from DJL's PyTorch
 * engine.
 */
public final class Gradients {
  private Gradients() {}

  /**
   * Returns the L2 norm of all parameters' gradients taken together (as if concatenated).
   *
   * <p>Parameters without a gradient yet count as zero. A non-finite gradient anywhere gives a
   * non-finite norm, which is how trainers detect divergence.
   *
   * @param parameters the trainable parameters (gradients attached)
   * @return the global norm, possibly NaN or infinite
   */
  public static double globalNorm(Collection<NDArray> parameters) {
    if (parameters.isEmpty()) {
      return 0.0;
    }
    NDManager owner = parameters.iterator().next().getManager();
    try (NDManager tmp = owner.newSubManager()) {
      NDList norms = new NDList(parameters.size());
      for (NDArray p : parameters) {
        // Each parameter's L2 norm, whose reduction PyTorch accumulates in double on the CPU, in
        // a sub-manager closed at once: only the scalars stay, not a copy of every gradient (which
        // would add the size of all gradients, twice over in float64, to the peak memory).
        try (NDManager one = tmp.newSubManager()) {
          NDArray g = p.getGradient();
          g.attach(one);
          NDArray n = g.norm();
          n.attach(tmp);
          norms.add(n.reshape(1));
        }
      }
      // Squares summed in float64: a float32 sum overflows to infinity for norms above ~1e19,
      // which would report a large but finite gradient as divergence.
      NDArray all = norms.size() == 1 ? norms.get(0) : NDArrays.concat(norms);
      return Math.sqrt(all.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).square().sum()
          .getDouble());
    }
  }

  /**
   * Returns the factor that scales gradients down to a maximum global norm, as PyTorch's {@code
   * clip_grad_norm_} does: {@code maxNorm / (norm + 1e-6)} when the norm exceeds the limit, else
   * 1.
   *
   * @param norm the global gradient norm, finite
   * @param maxNorm the limit; 0 or less disables clipping
   * @return the factor, in (0, 1]
   */
  public static double clipFactor(double norm, double maxNorm) {
    if (maxNorm <= 0 || norm <= maxNorm) {
      return 1.0;
    }
    return maxNorm / (norm + 1e-6);
  }

  /**
   * Sets every parameter's gradient to zero (gradients accumulate across backward passes
   * otherwise). Safe on gradients that hold NaN.
   *
   * @param parameters the trainable parameters
   */
  public static void zero(Collection<NDArray> parameters) {
    for (NDArray p : parameters) {
      JniUtils.zeroGrad(pt(p));
    }
  }

  /**
   * Returns whether every element of every array is finite.
   *
   * @param arrays the arrays to check (weights, usually)
   * @return true when no element is NaN or infinite
   */
  public static boolean allFinite(Collection<NDArray> arrays) {
    if (arrays.isEmpty()) {
      return true;
    }
    NDManager owner = arrays.iterator().next().getManager();
    try (NDManager tmp = owner.newSubManager()) {
      NDList sums = new NDList(arrays.size());
      for (NDArray a : arrays) {
        // The sum of |a| is finite exactly when every element is (bar float overflow of huge
        // weights, which counts as divergence anyway). |a| is freed at once; only the sum stays.
        try (NDManager one = tmp.newSubManager()) {
          NDArray abs = a.abs();
          abs.attach(one);
          NDArray sum = abs.sum();
          sum.attach(tmp);
          sums.add(sum);
        }
      }
      NDArray total = sums.size() == 1 ? sums.get(0) : NDArrays.stack(sums).sum();
      return Double.isFinite(total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
    }
  }

  static PtNDArray pt(NDArray a) {
    if (a instanceof PtNDArray p) {
      return p;
    }
    throw new BackendException(
        "training needs arrays of DJL's PyTorch engine, got " + a.getClass().getName());
  }
}
