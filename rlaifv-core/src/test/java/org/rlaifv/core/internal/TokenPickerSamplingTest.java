package org.rlaifv.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.rlaifv.SamplingParams;

class TokenPickerSamplingTest {

  @Property(tries = 200)
  void topKKeepsOnlyTheKMostLikely(
      @ForAll @Size(min = 2, max = 40) float[] logitsIn, @ForAll @IntRange(min = 1, max = 5) int k,
      @ForAll long seed) {
    float[] logits = logitsIn.clone();
    for (int i = 0; i < logits.length; i++) {
      if (!Float.isFinite(logits[i])) {
        logits[i] = 0;
      }
      logits[i] = Math.max(-50, Math.min(50, logits[i])) + i * 1e-3f; // distinct values
    }
    SamplingParams p = SamplingParams.builder().n(1).temperature(1.0).topK(k).maxNewTokens(1).build();
    int tok = TokenPicker.pick(logits, 0, logits.length, p, new SplittableRandom(seed));
    int larger = 0;
    for (float l : logits) {
      if (l > logits[tok]) {
        larger++;
      }
    }
    assertTrue(larger < k, "picked a token outside the top " + k);
  }

  @Property(tries = 100)
  void sameSeedSamePick(@ForAll @Size(min = 1, max = 30) float[] logitsIn, @ForAll long seed,
      @ForAll @FloatRange(min = 0.05f, max = 1f) float topP) {
    float[] logits = logitsIn.clone();
    for (int i = 0; i < logits.length; i++) {
      logits[i] = Float.isFinite(logits[i]) ? Math.max(-50, Math.min(50, logits[i])) : 0;
    }
    SamplingParams p = SamplingParams.builder().n(1).temperature(0.7).topP(topP).maxNewTokens(1).build();
    assertEquals(
        TokenPicker.pick(logits, 0, logits.length, p, new SplittableRandom(seed)),
        TokenPicker.pick(logits, 0, logits.length, p, new SplittableRandom(seed)));
  }

  @Test
  void greedyAndTinyNucleusPickTheArgmax() {
    float[] logits = {0.1f, 2f, -1f, 1.9f};
    SamplingParams greedy = SamplingParams.builder().n(1).temperature(0).maxNewTokens(1).build();
    SamplingParams nucleus = SamplingParams.builder().n(1).temperature(1).topP(0.01).maxNewTokens(1).build();
    for (long s = 0; s < 20; s++) {
      assertEquals(1, TokenPicker.pick(logits, 0, 4, greedy, new SplittableRandom(s)));
      assertEquals(1, TokenPicker.pick(logits, 0, 4, nucleus, new SplittableRandom(s)));
    }
    SamplingParams free = SamplingParams.builder().n(1).temperature(1).maxNewTokens(1).build();
    Set<Integer> seen = new HashSet<>();
    for (long s = 0; s < 200; s++) {
      seen.add(TokenPicker.pick(logits, 0, 4, free, new SplittableRandom(s)));
    }
    assertEquals(4, seen.size());
  }
}
