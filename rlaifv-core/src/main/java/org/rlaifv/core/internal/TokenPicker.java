package org.rlaifv.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rlaifv.BackendException;
import org.rlaifv.SamplingParams;

/**
 * Picks the next token from a row of logits. Every backend's sampler uses this one procedure, so
 * the same seed and (numerically equal) logits give the same token on DJL and on ONNX Runtime.
 *
 * <p>Greedy (first maximum) at temperature 0. Otherwise weights {@code exp(l/T - max)}; when top-k
 * or top-p filters, ids are ordered by weight (descending, ties by id) and the top-k prefix, then
 * the smallest prefix holding {@code topP} of its mass, is kept; one {@link
 * SplittableRandom#nextDouble()} per draw selects by cumulative weight. Each sample owns one
 * {@link SplittableRandom} seeded with its own seed ({@link SamplingParams#seedFor(int)}). NaN or
 * non-finite logits raise a {@link BackendException}.
 */
public final class TokenPicker {
  private TokenPicker() {}

  /**
   * Picks the next token from a logits array holding exactly one row.
   *
   * @param logits the row
   * @param params temperature, top-k and top-p
   * @param rng the sample's own random stream
   * @return the token id
   * @throws BackendException when the logits are NaN or non-finite
   */
  public static int pick(float[] logits, SamplingParams params, SplittableRandom rng) {
    return pick(logits, 0, logits.length, params, rng);
  }

  /**
   * Picks the next token from one row of a logits array.
   *
   * @param logits logits of one or more rows
   * @param offset index of the row's first logit
   * @param vocab the row's length (the vocabulary size)
   * @param params temperature, top-k and top-p
   * @param rng the sample's own random stream (advanced by one draw unless greedy)
   * @return the token id, in {@code [0, vocab)}
   * @throws BackendException when the logits hold NaN (greedy) or are non-finite (sampling)
   */
  public static int pick(
      float[] logits, int offset, int vocab, SamplingParams params, SplittableRandom rng) {
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
