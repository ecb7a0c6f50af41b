package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;

/**
 * The judge and the sampler read the shared-prefix decoder when the export has one and fall back
 * to copying the prefix cache per row with the Optimum decoder otherwise; both give the same
 * answers and the same samples.
 */
class SharedPrefixDecoderTest {
  @TempDir Path tmp;

  /** An export, and a copy of it without the shared-prefix decoder. */
  private Path[] exports() throws Exception {
    // Grouped heads (4 query, 2 key/value), two layers.
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 23, 32, 2));
    Path plain =
        TinyModels.copyExport(
            onnx, tmp.resolve("without-shared-prefix"), OrtModel.SHARED_PREFIX_DECODER);
    return new Path[] {onnx, plain};
  }

  @Test
  void rowsContinueThePrefixAlikeWithEitherDecoder() throws Exception {
    Path[] dirs = exports();
    BackendOptions options = BackendOptions.defaults().withThreads(1);
    try (OrtModel shared = OrtModel.open(dirs[0], options, true);
        OrtModel copied = OrtModel.open(dirs[1], options, true)) {
      assertTrue(shared.decoder() instanceof SharedPrefixDecoder);
      assertTrue(copied.decoder() instanceof OptimumDecoder);
      float[][] a = continueRows(shared);
      float[][] b = continueRows(copied);
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(b[i], a[i], 1e-4f, "logits " + i);
      }
    }
  }

  /** Prefills 4 tokens, then continues 3 rows by 2 tokens each; returns every row's logits. */
  private static float[][] continueRows(OrtModel model) {
    int rows = 3;
    float[][] out = new float[2 * rows][];
    long[] prompt = {5, 6, 7, 8};
    try (DecoderOutput prefix =
        model.prefill(
            model.embed(prompt, 1, 4), 1, 4, new long[] {1, 1, 1, 1}, new long[] {0, 1, 2, 3})) {
      Decoder decoder = model.decoder();
      OrtKvCache cache = decoder.rowsAfter(prefix.cache(), rows);
      try {
        for (int step = 0; step < 2; step++) {
          int past = decoder.pastLength(prefix.cache(), cache);
          assertEquals(4 + step, past);
          long[] ids = {9 + step, 10 + step, 11 + step};
          long[] mask = new long[rows * (past + 1)];
          java.util.Arrays.fill(mask, 1L);
          long[] pos = {past, past, past};
          try (DecoderOutput o =
              decoder.decode(
                  model.embed(ids, rows, 1), rows, 1, mask, pos, prefix.cache(), cache)) {
            for (int r = 0; r < rows; r++) {
              out[step * rows + r] = o.logits(r, 0);
            }
            cache.close();
            cache = o.takeCache();
          }
        }
      } finally {
        cache.close();
      }
    }
    return out;
  }

  @Test
  void samplesAreTheSame() throws Exception {
    Path[] dirs = exports();
    BackendOptions options = BackendOptions.defaults().withThreads(1).withBatchSize(3);
    SamplingParams params =
        SamplingParams.builder().n(7).temperature(1.0).maxNewTokens(10).baseSeed(3).build();
    try (OrtResponseSampler shared = OrtResponseSampler.open(Checkpoint.of(dirs[0]), options);
        OrtResponseSampler copied = OrtResponseSampler.open(Checkpoint.of(dirs[1]), options)) {
      for (int image = 0; image < 3; image++) {
        Prompt prompt = new Prompt("p" + image, TinyModels.image(image), "describe the image .");
        assertEquals(copied.sample(prompt, params), shared.sample(prompt, params));
      }
    }
  }

  @Test
  void verdictsAreTheSame() throws Exception {
    Path[] dirs = exports();
    Path onnx = dirs[0];
    Path plain = dirs[1];
    List<PolarQuestion> questions = new ArrayList<>();
    for (String q :
        List.of(
            "is there a red circle ?",
            "is there a blue square on the top left ?",
            "is there a cross ?",
            "is there a yellow triangle on the bottom right ?",
            "is there a green circle on the top ?",
            "is there a red square ?",
            "is there a blue cross on the bottom left ?")) {
      questions.add(new PolarQuestion(new Claim(q), q));
    }
    BackendOptions options = BackendOptions.defaults().withThreads(1).withBatchSize(3);
    try (OrtPolarJudge shared = OrtPolarJudge.open(Checkpoint.of(onnx), options);
        OrtPolarJudge copied = OrtPolarJudge.open(Checkpoint.of(plain), options);
        OrtModel probe = OrtModel.open(onnx, options, true);
        OrtModel fallback = OrtModel.open(plain, options, true)) {
      assertTrue(probe.hasSharedPrefixDecoder());
      assertFalse(fallback.hasSharedPrefixDecoder(), "no file, so the Optimum decoder is used");
      for (int image = 0; image < 3; image++) {
        List<ClaimVerdict> a = shared.judge(TinyModels.image(image), questions);
        List<ClaimVerdict> b = copied.judge(TinyModels.image(image), questions);
        assertEquals(questions.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
          assertEquals(b.get(i).pYes(), a.get(i).pYes(), 1e-5, "pYes of question " + i);
          assertEquals(b.get(i).pNo(), a.get(i).pNo(), 1e-5, "pNo of question " + i);
        }
      }
    }
  }
}
