package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants for differentiable code, held in memory that PyTorch owns.
 *
 * <p>DJL's {@code NDArray} overloads that take a {@link Number} ({@code x.mul(2f)}, {@code
 * x.pow(-0.5f)}, {@code x.div(3f)}...) wrap the number in a 0-d tensor whose storage is a Java
 * direct buffer ({@code from_blob}), run the op and close the wrapper at once. When the op is
 * recorded for autograd and saves that operand for its backward (multiplication, division and
 * power do), the saved tensor keeps pointing at the Java buffer, which the garbage collector then
 * frees: a backward pass that runs after a collection reads freed memory and yields a garbage,
 * often infinite or NaN, gradient. Such ops must take their constant from {@link #of} instead,
 * whose storage PyTorch allocates and reference-counts, so the graph keeps it alive.
 *
 * <pre>{@code
 * NDArray y = x.pow(Scalars.of(x, -0.5f)); // not x.pow(-0.5f) when x requires a gradient
 * }</pre>
 */
public final class Scalars {
  private Scalars() {}

  /**
   * Returns a 0-d constant with the type and device of {@code like}, owned by its manager.
   *
   * @param like the array the constant is combined with
   * @param value the value
   * @return a 0-d array allocated by the engine (not backed by Java memory), closed with {@code
   *     like}'s manager
   */
  public static NDArray of(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }
}
