package org.rlaifv.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.rlaifv.BackendException;
import org.rlaifv.SamplingParams;

/** Token picking: greedy is the first maximum, filters are respected, bad logits are refused. */
class TokenPickerTest {
  private static final SamplingParams GREEDY =
      SamplingParams.builder().n(1).temperature(0).maxNewTokens(1).build();

  @Test
  void greedyTakesTheFirstMaximum() {
    assertEquals(1, TokenPicker.pick(new float[] {0, 3, 3, -1}, GREEDY, new SplittableRandom(1)));
  }

  @Test
  void nonFiniteLogitsAreRefused() {
    SamplingParams hot = GREEDY.toBuilder().temperature(1).build();
    assertThrows(
        BackendException.class,
        () -> TokenPicker.pick(new float[] {0, Float.NaN}, GREEDY, new SplittableRandom(1)));
    assertThrows(
        BackendException.class,
        () -> TokenPicker.pick(new float[] {0, Float.POSITIVE_INFINITY}, hot, new SplittableRandom(1)));
  }

  @Property(tries = 200)
  void topKKeepsOnlyTheKMostLikely(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int k) {
    float[] logits = {0.5f, 2f, -1f, 1.5f, 0f, 1f};
    int[] rank = {3, 0, 5, 1, 4, 2}; // position of each id in descending order
    SamplingParams p = GREEDY.toBuilder().temperature(1.3).topK(k).build();
    int id = TokenPicker.pick(logits, p, new SplittableRandom(seed));
    assertEquals(true, rank[id] < k, "id " + id + " is outside the top " + k);
  }

  @Property(tries = 100)
  void sameSeedSameToken(@ForAll long seed) {
    float[] logits = {0.1f, 0.2f, 0.3f, 0.4f};
    SamplingParams p = GREEDY.toBuilder().temperature(1).topP(0.8).build();
    assertEquals(
        TokenPicker.pick(logits, p, new SplittableRandom(seed)),
        TokenPicker.pick(logits, p, new SplittableRandom(seed)));
  }
}
