package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.internal.TokenPicker;

/**
 * Pins the random choices a rerun or a resume must repeat: the token picker's draws for fixed
 * logits and seeds, and the pair selector's choices for a fixed input. The expected values are
 * what this implementation produced when they were pinned; a change that alters them changes the
 * samples or pairs of every existing run directory and must be deliberate (then update the values
 * and say so in the change).
 */
class ReproducibilityGoldenTest {

  private static final float[] LOGITS = {0.5f, 1.5f, -0.25f, 2.0f, 0.0f, 1.0f, -1.0f, 0.75f};

  private static String draws(SamplingParams params) {
    List<String> perSample = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      SplittableRandom rng = new SplittableRandom(params.seedFor(s));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        sb.append(TokenPicker.pick(LOGITS, params, rng));
      }
      perSample.add(sb.toString());
    }
    return String.join(" ", perSample);
  }

  @Test
  void tokenPickerDrawsArePinned() {
    assertEquals("133703 150373 433555 230171",
        draws(SamplingParams.builder().temperature(1.0).build()));
    assertEquals("311531 313353 133111 333353",
        draws(SamplingParams.builder().temperature(0.7).topK(3).build()));
    assertEquals("351035 373101 511777 313303",
        draws(SamplingParams.builder().temperature(1.3).topP(0.8).build()));
    assertEquals("333333 333333 333333 333333",
        draws(SamplingParams.builder().temperature(0).build()));
  }

  @Test
  void pairSelectorChoicesArePinned() {
    var input = PinnedChoices.input();
    assertEquals(List.of("prompt-0:3>0", "prompt-0:1>5", "prompt-1:0>2", "prompt-1:3>0",
            "prompt-2:2>4", "prompt-2:3>7", "prompt-3:2>7", "prompt-3:3>4", "prompt-4:1>2",
            "prompt-4:4>2", "prompt-5:0>5", "prompt-5:4>1", "prompt-6:2>6", "prompt-6:6>7",
            "prompt-7:1>4", "prompt-7:7>6"),
        PinnedChoices.render(RlaifvPairSelector.builder().seed(0).build().select(input)));
    assertEquals(List.of("prompt-0:1>4", "prompt-0:1>5", "prompt-0:7>2", "prompt-1:4>0",
            "prompt-1:0>7", "prompt-1:3>7", "prompt-2:0>6", "prompt-2:1>4", "prompt-2:2>5",
            "prompt-3:0>1", "prompt-3:2>4", "prompt-3:3>4", "prompt-4:0>2", "prompt-4:4>0",
            "prompt-4:1>5", "prompt-5:0>2", "prompt-5:4>1", "prompt-5:3>6", "prompt-6:2>3",
            "prompt-6:4>3", "prompt-6:4>6", "prompt-7:0>4", "prompt-7:3>7", "prompt-7:7>6"),
        PinnedChoices.render(
            RlaifvPairSelector.builder().seed(11).maxPairsPerPrompt(3).build().select(input)));
    assertEquals(List.of("prompt-0:3>2", "prompt-1:5>7", "prompt-3:3>1", "prompt-4:4>3",
            "prompt-5:0>6", "prompt-5:1>2", "prompt-6:5>1"),
        PinnedChoices.render(
            RlaifvPairSelector.builder().seed(5).lengthBalancing(true).build().select(input)));
  }
}
