package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.spi.BackendOptions;

/** Embedding lookups from the in-memory table agree with running the embedding graph. */
class OrtModelEmbedTest {
  @TempDir Path tmp;

  @Test
  void tableLookupEqualsTheGraph() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 5, 32, 1));
    try (OrtModel model = OrtModel.open(onnx, BackendOptions.defaults().withThreads(1))) {
      assertTrue(model.hasEmbedTable(), "a tiny vocabulary is read into memory");
      Random rnd = new Random(1);
      long[] ids = new long[2 * 7];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rnd.nextInt(model.vocabSize());
      }
      assertArrayEquals(model.embedByGraph(ids, 2, 7), model.embed(ids, 2, 7));
    }
  }

  @Test
  void badIdsAreNamed() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 6, 32, 1));
    try (OrtModel model = OrtModel.open(onnx, BackendOptions.defaults().withThreads(1))) {
      long vocab = model.vocabSize();
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> model.embed(new long[] {1, vocab}, 1, 2));
      assertTrue(e.getMessage().contains("token id " + vocab), e.getMessage());
      e = assertThrows(InvalidInputException.class, () -> model.embed(new long[] {1, 2, 3}, 2, 2));
      assertTrue(e.getMessage().contains("expected 2 x 2"), e.getMessage());
    }
  }
}
