package org.rlaifv.onnx;

import java.util.Arrays;
import java.util.Random;
import org.rlaifv.SamplingParams;

/**
 * Picks the next token from logits: greedy (first maximum) at temperature 0, otherwise a seeded
 * draw after temperature, top-k and top-p filtering. Each sample owns one picker seeded with its
 * own seed, so a sample's text depends only on its seed and the model.
 */
final class TokenPicker {
  private final SamplingParams params;
  private final Random rng;

  TokenPicker(SamplingParams params, long seed) {
    this.params = params;
    this.rng = new Random(seed);
  }

  int pick(float[] logits) {
    if (params.greedy()) {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    }
    int v = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[v];
    double sum = 0;
    for (int i = 0; i < v; i++) {
      p[i] = Math.exp((logits[i] - max) / params.temperature());
      sum += p[i];
    }
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) {
      order[i] = i;
      p[i] /= sum;
    }
    Arrays.sort(order, (a, b) -> p[b] != p[a] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
    int keep = params.topK() > 0 ? Math.min(params.topK(), v) : v;
    if (params.topP() < 1) {
      double cum = 0;
      for (int r = 0; r < keep; r++) {
        cum += p[order[r]];
        if (cum >= params.topP()) {
          keep = r + 1;
          break;
        }
      }
    }
    double total = 0;
    for (int r = 0; r < keep; r++) {
      total += p[order[r]];
    }
    double u = rng.nextDouble() * total;
    double cum = 0;
    for (int r = 0; r < keep; r++) {
      cum += p[order[r]];
      if (u < cum) {
        return order[r];
      }
    }
    return order[keep - 1];
  }
}
