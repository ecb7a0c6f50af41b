package org.rlaifv;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Metrics of one training step or epoch, named as TRL names them ({@code loss}, {@code
 * rewards/chosen}, {@code rewards/rejected}, {@code rewards/margins}, {@code rewards/accuracies},
 * {@code logps/chosen}, {@code logps/rejected}, {@code grad_norm}, {@code learning_rate}).
 *
 * @param step optimizer step (1-based)
 * @param epoch fractional epoch at this step
 * @param values metric name to value, sorted by name
 */
public record TrainingMetrics(long step, double epoch, Map<String, Double> values) {
  /** Copies the values into a sorted, unmodifiable map. */
  public TrainingMetrics {
    Objects.requireNonNull(values, "values");
    values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Returns one metric.
   *
   * @param name the metric name
   * @return its value, or NaN when absent
   */
  public double get(String name) {
    Double v = values.get(name);
    return v == null ? Double.NaN : v;
  }
}
