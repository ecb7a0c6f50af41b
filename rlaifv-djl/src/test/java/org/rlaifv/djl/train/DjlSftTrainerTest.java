package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.LrSchedule;
import org.rlaifv.TrainingDivergedException;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.djl.model.LoadedVlm;

class DjlSftTrainerTest {
  @TempDir Path dir;

  @BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  /** The colour of the image decides the caption. */
  private static List<SftExample> colourCaptions() {
    List<SftExample> out = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      out.add(new SftExample(TrainFixtures.solid(c), TrainFixtures.PROMPT,
          "there is a " + TrainFixtures.COLOURS[c] + " circle ."));
    }
    return out;
  }

  @Test
  void sftLowersTheLossWellBelowItsStartWithBoundedMemory() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 2)) {
      List<Integer> live = new ArrayList<>();
      List<TrainingMetrics> epochs = new ArrayList<>();
      TrainingListener listener =
          new TrainingListener() {
            @Override
            public void onStep(TrainingMetrics m, long total) {
              assertEquals(60, total);
              live.add(vlm.model().manager().getManagedArrays().size());
            }

            @Override
            public void onEpoch(TrainingMetrics m) {
              epochs.add(m);
            }
          };
      SftConfig cfg =
          SftConfig.builder()
              .learningRate(5e-3)
              .schedule(LrSchedule.COSINE)
              .warmupRatio(0.05)
              .steps(60)
              .batchSize(4)
              .logEvery(1)
              .seed(1)
              .build();
      List<TrainingMetrics> h = new DjlSftTrainer().train(vlm, colourCaptions(), cfg, listener);
      assertEquals(60, h.size());
      double first = h.get(0).get("loss");
      double last = h.get(h.size() - 1).get("loss");
      assertTrue(first > 2.0, "a random model starts near ln(vocab): " + first);
      assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
      assertEquals(4 * 7.0, h.get(0).get("tokens"), 0.0); // 6 words and the end token per row
      assertEquals(60, epochs.size()); // one pass per step: 4 examples, batch 4
      assertEquals(live.get(0), live.get(live.size() - 1), "live arrays " + live);
    }
  }

  @Test
  void logEveryAveragesTheWindowAndNaNWeightsDiverge() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 3)) {
      SftConfig cfg = SftConfig.builder().steps(10).epochs(1).batchSize(2).logEvery(4).build();
      List<TrainingMetrics> h =
          new DjlSftTrainer().train(vlm, colourCaptions(), cfg, TrainingListener.NONE);
      assertEquals(List.of(4L, 8L, 10L), h.stream().map(TrainingMetrics::step).toList());
      NDArray w = vlm.model().parameters().get("language_model.lm_head.weight");
      w.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
      TrainingDivergedException e =
          assertThrows(TrainingDivergedException.class,
              () -> new DjlSftTrainer().train(vlm, colourCaptions(), cfg, TrainingListener.NONE));
      assertEquals(1, e.step());
      assertTrue(e.lastGoodCheckpoint().isEmpty());
    }
  }
}
