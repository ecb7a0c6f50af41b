package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.VlmInputs;
import org.rlaifv.spi.BackendOptions;

/** The exported graphs compute what the DJL model computes, on prefill and on cached steps. */
class ExportParityTest {
  private static final double TOL = 1e-4;

  @TempDir static Path tmp;
  private static LoadedVlm djl;
  private static OrtVlm ort;

  @BeforeAll
  static void setUp() throws Exception {
    Path dir = TinyModels.djlModel(tmp, 7, 64, 2);
    Path onnx = TinyModels.exported(dir);
    djl = LoadedVlm.load(dir, Device.cpu());
    ort = OrtVlm.open(onnx, BackendOptions.defaults(), false);
  }

  @AfterAll
  static void tearDown() {
    ort.close();
    djl.close();
  }

  @Test
  void exportWritesTheOptimumLayout() {
    Path onnx = ort.model.directory();
    for (String f :
        List.of(
            OnnxExporter.VISION,
            OnnxExporter.EMBED,
            OnnxExporter.DECODER,
            "config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "generation_config.json",
            "preprocessor_config.json")) {
      assertTrue(Files.isRegularFile(onnx.resolve(f)), f);
    }
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    double[] e = HfFamiliesParityTest.logSoftmax(expected);
    double[] a = HfFamiliesParityTest.logSoftmax(actual);
    assertEquals(e.length, a.length, what);
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      worst = Math.max(worst, Math.abs(e[i] - a[i]));
    }
    assertTrue(worst <= TOL, what + ": max |log-prob difference| " + worst);
    double spread =
        java.util.Arrays.stream(e).max().orElseThrow() - java.util.Arrays.stream(e).min().orElseThrow();
    assertTrue(spread > 0.5, what + ": log-probs too flat to compare (spread " + spread + ")");
  }

  @Test
  void imageFeaturesMatch() {
    try (NDManager m = djl.model().manager().newSubManager()) {
      var image = TinyModels.image(1);
      float[] expected =
          djl.model().imageFeatures(djl.pixels(m, List.of(image))).toFloatArray();
      float[] actual = ort.imageFeatures(image);
      assertEquals(expected.length, actual.length);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], actual[i], 1e-4, "feature " + i);
      }
    }
  }

  @Test
  void prefillAndCachedDecodeLogProbsMatch() {
    var image = TinyModels.image(2);
    String prompt = "describe the image .";
    long[] next = {djl.tokenizer().tokenId("there"), djl.tokenizer().tokenId("is")};
    try (NDManager m = djl.model().manager().newSubManager();
        KvCache cache = djl.model().newCache(m)) {
      VlmInputs in = djl.promptInputs(m, image, prompt);
      NDArray logits = djl.model().forward(in.embeds(), in.attentionMask(), in.positionIds(), cache);
      int len = in.lengths()[0];

      OrtVlm.Inputs oin =
          ort.imageInputs(ort.imageFeatures(image), List.of(ort.promptIds(prompt)));
      assertEquals(len, oin.seq);
      try (OrtKvCache empty = ort.model.emptyCache(1);
          DecoderOutput pre =
              ort.model.decode(oin.embeds, 1, len, oin.mask, oin.positions, empty)) {
        for (int p = 0; p < len; p++) {
          assertClose(
              logits.get("0, " + p).toFloatArray(), pre.logits(0, p), "prefill position " + p);
        }
        OrtKvCache ortCache = pre.takeCache();
        try {
          for (int step = 0; step < next.length; step++) {
            int total = len + step + 1;
            NDArray ids = m.create(new long[] {next[step]}, new Shape(1, 1));
            long[] mask = new long[total];
            java.util.Arrays.fill(mask, 1L);
            NDArray stepLogits =
                djl.model()
                    .forward(
                        djl.model().embed(ids),
                        m.create(mask, new Shape(1, total)),
                        m.create(new long[] {total - 1}, new Shape(1, 1)),
                        cache);
            try (DecoderOutput o =
                ort.model.decode(
                    ort.model.embed(new long[] {next[step]}, 1, 1),
                    1,
                    1,
                    mask,
                    new long[] {total - 1},
                    ortCache)) {
              assertClose(stepLogits.toFloatArray(), o.logits(0, 0), "cached step " + step);
              ortCache.close();
              ortCache = o.takeCache();
            }
          }
        } finally {
          ortCache.close();
        }
      }
    }
  }

  @Test
  void otherShapesMatch() throws Exception {
    // No grouped heads (4 query = 4 key/value heads), an earlier vision feature layer, odd widths.
    VlmConfig.VisionConfig vision = new VlmConfig.VisionConfig(32, 8, 24, 3, 3, 40, 1e-5);
    Path dir =
        TinyModels.djlModel(
            tmp,
            8,
            v -> new VlmConfig(48, 1, 4, 4, 80, 1e-5, 500, v, 128, 0.2, vision, "gelu", -2));
    Path onnx = TinyModels.exported(dir);
    var image = TinyModels.image(5);
    try (LoadedVlm d = LoadedVlm.load(dir, Device.cpu());
        OrtVlm o = OrtVlm.open(onnx, BackendOptions.defaults(), false);
        NDManager m = d.model().manager().newSubManager()) {
      assertEquals(16, o.model.imageTokens());
      VlmInputs in = d.promptInputs(m, image, "is there a red circle ?");
      NDArray logits = d.model().forward(in.embeds(), in.attentionMask(), in.positionIds(), null);
      OrtVlm.Inputs oin =
          o.imageInputs(o.imageFeatures(image), List.of(o.promptIds("is there a red circle ?")));
      try (OrtKvCache empty = o.model.emptyCache(1);
          DecoderOutput out =
              o.model.decode(oin.embeds, 1, oin.seq, oin.mask, oin.positions, empty)) {
        for (int p = 0; p < oin.seq; p += 5) {
          assertClose(logits.get("0, " + p).toFloatArray(), out.logits(0, p), "position " + p);
        }
      }
    }
  }

  @Test
  void paddedBatchesMatch() {
    var image = TinyModels.image(3);
    List<long[]> ids =
        List.of(
            djl.promptIds("is there a red circle ?"),
            djl.promptIds("describe the image ."),
            djl.promptIds("is there a blue square on the top left ?"));
    try (NDManager m = djl.model().manager().newSubManager()) {
      NDArray feats = djl.model().imageFeatures(djl.pixels(m, List.of(image, image, image)));
      VlmInputs in = djl.imageInputs(m, feats, ids);
      NDArray logits = djl.model().forward(in.embeds(), in.attentionMask(), in.positionIds(), null);
      float[] f = ort.imageFeatures(image);
      OrtVlm.Inputs oin = ort.imageInputs(f, ids);
      try (OrtKvCache empty = ort.model.emptyCache(3);
          DecoderOutput o =
              ort.model.decode(oin.embeds, 3, oin.seq, oin.mask, oin.positions, empty)) {
        for (int r = 0; r < 3; r++) {
          int last = in.lengths()[r] - 1;
          assertClose(
              logits.get(r + ", " + last).toFloatArray(), o.logits(r, last), "row " + r);
        }
      }
    }
  }
}
