package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmConfig;

class DpoBenchTest {
  @TempDir Path dir;

  @BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  @Test
  void forwardFlopsCountEveryMatmul() {
    // Decoder H=32, 2 layers, 4 heads of 8, 2 kv heads (kv width 16), I=64, V=25.
    // Vision 16x16 image, 8x8 patches (P=4), Hv=16, 1 layer, Iv=32.
    VlmConfig c = TrainFixtures.config(25);
    int t = 10;
    double vision = 2 * 4 * 3 * 64 * 16 + (2 * 4 * (4 * 256 + 2 * 16 * 32) + 4 * 16 * 16)
        + 2 * 4 * (16 * 32 + 32 * 32);
    double layer = 2 * t * (2 * 1024 + 2 * 32 * 16 + 3 * 32 * 64) + 4 * t * t * 32;
    double head = 2 * 4 * 32 * 25; // 4 target positions
    assertEquals(vision + 2 * layer + head, DpoBench.forwardFlops(c, t, 4), 1e-6);
    assertEquals(3 * DpoBench.forwardFlops(c, t, 4), DpoBench.trainFlops(c, t, 4), 1e-6);
  }

  @Test
  void measuresPositiveThroughput() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 1)) {
      DpoBench.Result r = DpoBench.measure(vlm, TrainFixtures.pairs(4), 2, 1, 2);
      assertEquals(2, r.steps());
      assertTrue(r.pairsPerSecond() > 0 && r.trainGflops() > 0, r.toString());
      assertTrue(r.rowsTokensPerStep() > 4, r.toString()); // at least the image tokens
      assertEquals(r.figures().get("dpo.pairs_per_s"), r.pairsPerSecond());
    }
  }

  @Test
  void figuresRunOnSyntheticPairsOfTheModelsWords() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 2)) {
      var f = DpoBench.figures(vlm, TrainFixtures.WORDS, 2, 3, 6, 1);
      assertEquals(java.util.Set.of("dpo.pairs_per_s", "dpo.train_gflops"), f.keySet());
      assertTrue(f.get("dpo.pairs_per_s") > 0);
    }
  }
}
