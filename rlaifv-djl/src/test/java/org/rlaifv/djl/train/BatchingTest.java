package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchingTest {

  @Property(tries = 50)
  void batchesCoverEveryExampleOnce(
      @ForAll @IntRange(min = 1, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 9) int batch,
      @ForAll @IntRange(min = 1, max = 4) int accum,
      @ForAll long seed) {
    List<List<Integer>> batches = Batching.batches(n, batch, seed, 3);
    List<Integer> all = new ArrayList<>();
    batches.forEach(all::addAll);
    int[] sorted = all.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] expected = new int[n];
    Arrays.setAll(expected, i -> i);
    assertArrayEquals(expected, sorted);
    assertEquals(
        Batching.stepsPerEpoch(n, batch, accum), Batching.steps(batches, accum).size());
  }

  @Test
  void sameSeedSameOrderOtherEpochOtherOrder() {
    assertArrayEquals(Batching.permutation(50, 9, 0), Batching.permutation(50, 9, 0));
    assertFalse(Arrays.equals(Batching.permutation(50, 9, 0), Batching.permutation(50, 9, 1)));
    assertFalse(Arrays.equals(Batching.permutation(50, 9, 0), Batching.permutation(50, 10, 0)));
  }

  @Test
  void checkpointStepsAreSpreadOverEachEpoch() {
    assertEquals(List.of(3L, 5L, 8L, 10L), Batching.checkpointSteps(5, 2, 2));
    assertEquals(List.of(1L, 2L, 3L, 4L), Batching.checkpointSteps(1, 4, 4));
    assertEquals(List.of(2L, 4L, 6L, 8L), Batching.checkpointSteps(8, 1, 4));
    assertEquals(List.of(7L), Batching.checkpointSteps(7, 1, 1));
  }
}
