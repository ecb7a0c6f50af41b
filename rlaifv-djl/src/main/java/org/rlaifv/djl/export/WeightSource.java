package org.rlaifv.djl.export;

import java.util.function.Supplier;

/**
 * Supplies named float32 weights, checked against the shapes the graph expects when the graph is
 * built and read only when the graph is written (so a graph holds no weight data of its own).
 */
interface WeightSource {
  /**
   * Checks a weight now and returns a reader of its values, row-major, for later.
   *
   * @param name the Hugging Face parameter name
   * @param shape the shape the graph expects
   * @return reads the values (a new array per call)
   * @throws org.rlaifv.ModelFormatException when the weight is missing or has another shape
   */
  Supplier<float[]> lazy(String name, long... shape);

  /**
   * Returns whether the model has a weight (an optional bias, for example).
   *
   * @param name the Hugging Face parameter name
   * @return true when present
   */
  boolean has(String name);

  /**
   * Returns a weight's values now.
   *
   * @param name the Hugging Face parameter name
   * @param shape the shape the graph expects
   * @return the values
   */
  default float[] get(String name, long... shape) {
    return lazy(name, shape).get();
  }
}
