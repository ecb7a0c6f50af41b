package org.rlaifv.djl.train;

import java.util.Map;
import java.util.TreeMap;

/** Weighted running means of named metrics (over the micro-batches of a step, or an epoch). */
final class MetricMeans {
  private final Map<String, double[]> sums = new TreeMap<>();

  /** Adds a value with a weight (for example the number of pairs it covers). */
  void add(String name, double value, double weight) {
    double[] s = sums.computeIfAbsent(name, k -> new double[2]);
    s[0] += value * weight;
    s[1] += weight;
  }

  /** Adds every value of a map with weight 1. */
  void addAll(Map<String, Double> values) {
    for (Map.Entry<String, Double> e : values.entrySet()) {
      add(e.getKey(), e.getValue(), 1.0);
    }
  }

  /** Returns the weighted means. */
  Map<String, Double> means() {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      out.put(e.getKey(), e.getValue()[1] == 0 ? Double.NaN : e.getValue()[0] / e.getValue()[1]);
    }
    return out;
  }

  boolean isEmpty() {
    return sums.isEmpty();
  }

  void clear() {
    sums.clear();
  }
}
