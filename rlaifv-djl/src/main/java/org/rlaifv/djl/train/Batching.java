package org.rlaifv.djl.train;

import com.google.common.collect.Lists;
import com.google.common.primitives.Ints;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * Seeded shuffling and batching of training examples.
 *
 * <p>Epoch {@code e} of a run with seed {@code s} visits the examples in the permutation drawn from
 * {@code Seeds.mix(s, e)}: the same seed gives the same order on every machine, and each epoch is
 * shuffled differently.
 */
public final class Batching {
  private Batching() {}

  /**
   * Returns a seeded permutation of {@code 0..n-1} (Fisher-Yates).
   *
   * @param n the number of examples, &gt;= 0
   * @param seed the run's seed
   * @param epoch the 0-based epoch
   * @return the permutation
   */
  public static int[] permutation(int n, long seed, long epoch) {
    if (n < 0) {
      throw new InvalidInputException("cannot shuffle a negative number of examples: " + n);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random rnd = new Random(Seeds.mix(seed, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /**
   * Splits one epoch's shuffled examples into batches; the last batch may be smaller.
   *
   * @param n the number of examples, &gt;= 1
   * @param batchSize examples per batch, &gt;= 1
   * @param seed the run's seed
   * @param epoch the 0-based epoch
   * @return the batches, each a list of example indices, in visiting order
   * @throws InvalidInputException when n or the batch size is not positive
   */
  public static List<List<Integer>> batches(int n, int batchSize, long seed, long epoch) {
    if (n < 1 || batchSize < 1) {
      throw new InvalidInputException(
          "batching needs at least one example and a batch size >= 1, got " + n + ", " + batchSize);
    }
    int[] order = permutation(n, seed, epoch);
    return Lists.partition(Ints.asList(order), batchSize).stream().map(List::copyOf).toList();
  }

  /**
   * Groups an epoch's micro-batches into optimizer steps of {@code accumulation} micro-batches; the
   * last group may be smaller.
   *
   * @param microBatches the epoch's micro-batches
   * @param accumulation micro-batches per optimizer step, &gt;= 1
   * @return the groups, one per optimizer step
   */
  public static List<List<List<Integer>>> steps(
      List<List<Integer>> microBatches, int accumulation) {
    if (accumulation < 1) {
      throw new InvalidInputException("gradient accumulation must be >= 1, got " + accumulation);
    }
    return Lists.partition(microBatches, accumulation).stream().map(List::copyOf).toList();
  }

  /**
   * Returns the number of optimizer steps one epoch takes.
   *
   * @param n the number of examples, &gt;= 1
   * @param batchSize examples per micro-batch, &gt;= 1
   * @param accumulation micro-batches per optimizer step, &gt;= 1
   * @return {@code ceil(ceil(n / batchSize) / accumulation)}
   */
  public static int stepsPerEpoch(int n, int batchSize, int accumulation) {
    int micro = (n + batchSize - 1) / batchSize;
    return (micro + accumulation - 1) / accumulation;
  }

  /**
   * Returns the global steps after which checkpoints are written: {@code perEpoch} evenly spaced
   * steps in each epoch, the last at the epoch's end (fewer when an epoch has fewer steps).
   *
   * @param stepsPerEpoch optimizer steps per epoch, &gt;= 1
   * @param epochs number of epochs, &gt;= 1
   * @param perEpoch checkpoints per epoch, &gt;= 1
   * @return the 1-based steps, ascending, the last one being the run's final step
   */
  public static List<Long> checkpointSteps(int stepsPerEpoch, int epochs, int perEpoch) {
    List<Long> out = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      for (int k = 1; k <= perEpoch; k++) {
        long s = (long) e * stepsPerEpoch + (long) Math.ceil((double) k * stepsPerEpoch / perEpoch);
        if (out.isEmpty() || out.get(out.size() - 1) < s) {
          out.add(s);
        }
      }
    }
    return List.copyOf(out);
  }
}
