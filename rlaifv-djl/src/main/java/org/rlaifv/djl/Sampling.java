package org.rlaifv.djl;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rlaifv.BackendException;
import org.rlaifv.SamplingParams;

/** Picks a token from one row of logits with temperature, top-k and top-p, using a row's RNG. */
final class Sampling {
  private Sampling() {}

  static int pick(float[] logits, int offset, int vocab, SamplingParams params, SplittableRandom rng) {
    if (params.greedy()) {
      for (int i = 0; i < vocab; i++) {
        if (Float.isNaN(logits[offset + i])) {
          throw new BackendException(
              "the model produced NaN logits while sampling; its weights may be corrupt or diverged");
        }
      }
      int best = 0;
      float bestV = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < vocab; i++) {
        if (logits[offset + i] > bestV) {
          bestV = logits[offset + i];
          best = i;
        }
      }
      return best;
    }
    double invT = 1.0 / params.temperature();
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      max = Math.max(max, logits[offset + i] * invT);
    }
    if (!Double.isFinite(max)) {
      throw new BackendException(
          "the model produced non-finite logits while sampling; its weights may be corrupt or diverged");
    }
    double[] p = new double[vocab];
    for (int i = 0; i < vocab; i++) {
      p[i] = Math.exp(logits[offset + i] * invT - max);
    }
    boolean filter = (params.topK() > 0 && params.topK() < vocab) || params.topP() < 1;
    if (!filter) {
      return draw(p, rng);
    }
    // Order by probability (descending), ties by id, then keep the top-k / nucleus prefix.
    Integer[] order = new Integer[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
    int keep = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
    if (params.topP() < 1) {
      double total = 0;
      for (int i = 0; i < keep; i++) {
        total += p[order[i]];
      }
      double acc = 0;
      int k = 0;
      while (k < keep) {
        acc += p[order[k]];
        k++;
        if (acc >= params.topP() * total) {
          break;
        }
      }
      keep = k;
    }
    double[] kept = new double[keep];
    for (int i = 0; i < keep; i++) {
      kept[i] = p[order[i]];
    }
    return order[draw(kept, rng)];
  }

  private static int draw(double[] weights, SplittableRandom rng) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = rng.nextDouble() * total;
    double acc = 0;
    for (int i = 0; i < weights.length; i++) {
      acc += weights[i];
      if (u < acc) {
        return i;
      }
    }
    for (int i = weights.length - 1; i >= 0; i--) {
      if (weights[i] > 0) {
        return i;
      }
    }
    return 0;
  }
}
