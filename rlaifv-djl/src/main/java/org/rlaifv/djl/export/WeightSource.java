package org.rlaifv.djl.export;

/** Supplies a named float32 weight, checked against the shape the graph expects. */
@FunctionalInterface
interface WeightSource {
  /**
   * Returns a weight's values, row-major.
   *
   * @param name the Hugging Face parameter name
   * @param shape the shape the graph expects
   * @return the values
   * @throws org.rlaifv.ModelFormatException when the weight is missing or has another shape
   */
  float[] get(String name, long... shape);
}
