package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.djl.export.OnnxAttribute;
import org.rlaifv.djl.export.OnnxConstant;
import org.rlaifv.djl.export.OnnxGraph;
import org.rlaifv.djl.export.OnnxGraph.ElemType;
import org.rlaifv.spi.BackendOptions;

/** A broken model directory or bad options give clear errors naming the file and the input. */
class OrtModelErrorsTest {
  @TempDir static Path tmp;
  private static Path exported;

  @BeforeAll
  static void export() throws Exception {
    exported = TinyModels.exported(TinyModels.djlModel(tmp, 11, 32, 1));
  }

  private static Path copy(String name) throws Exception {
    return TinyModels.copyExport(exported, tmp.resolve(name));
  }

  private static ModelFormatException openFails(Path dir) {
    return assertThrows(
        ModelFormatException.class,
        () -> OrtPolarJudge.open(Checkpoint.of(dir), BackendOptions.defaults()).close());
  }

  @Test
  void missingGraphIsNamed() throws Exception {
    Path dir = copy("missing");
    Files.delete(dir.resolve(OrtModel.EMBED));
    ModelFormatException e = openFails(dir);
    assertTrue(e.getMessage().contains(dir.resolve(OrtModel.EMBED).toString()), e.getMessage());
  }

  @Test
  void wrongInputNameIsNamed() throws Exception {
    Path dir = copy("renamed");
    OnnxGraph g = new OnnxGraph("embed_tokens");
    g.input("token_ids", ElemType.INT64, "batch_size", "sequence_length");
    String table = g.initializer(OnnxConstant.ofFloats("t", new float[40 * 32], 40, 32));
    g.node("Gather", List.of(table, "token_ids"), List.of("inputs_embeds"), OnnxAttribute.ofInt("axis", 0));
    g.output("inputs_embeds", ElemType.FLOAT, "batch_size", "sequence_length", 32);
    g.write(dir.resolve(OrtModel.EMBED), "test");
    ModelFormatException e = openFails(dir);
    assertTrue(e.getMessage().contains(OrtModel.EMBED), e.getMessage());
    assertTrue(e.getMessage().contains("'input_ids'"), e.getMessage());
  }

  @Test
  void shapeMismatchIsNamed() throws Exception {
    Path dir = copy("resized");
    OnnxGraph g = new OnnxGraph("vision_encoder");
    g.input("pixel_values", ElemType.FLOAT, "batch_size", 3, 16, 16);
    g.node("Identity", List.of("pixel_values"), List.of("image_features"));
    g.output("image_features", ElemType.FLOAT, "batch_size", 3, 16, 16);
    g.write(dir.resolve(OrtModel.VISION), "test");
    ModelFormatException e = openFails(dir);
    assertTrue(e.getMessage().contains(OrtModel.VISION), e.getMessage());
    assertTrue(e.getMessage().contains("'pixel_values'"), e.getMessage());
  }

  @Test
  void corruptGraphIsNamed() throws Exception {
    // The judge and the sampler read the shared-prefix decoder; OrtModel.open the Optimum one.
    Path dir = copy("corrupt");
    Files.write(dir.resolve(OrtModel.DECODER), new byte[] {1, 2, 3, 4, 5});
    ModelFormatException e =
        assertThrows(
            ModelFormatException.class,
            () -> OrtModel.open(dir, BackendOptions.defaults()).close());
    assertTrue(e.getMessage().contains(OrtModel.DECODER), e.getMessage());
    Files.write(dir.resolve(OrtModel.SHARED_PREFIX_DECODER), new byte[] {1, 2, 3, 4, 5});
    e = openFails(dir);
    assertTrue(e.getMessage().contains(OrtModel.SHARED_PREFIX_DECODER), e.getMessage());
    e =
        assertThrows(
            ModelFormatException.class,
            () -> OrtResponseSampler.open(Checkpoint.of(dir), BackendOptions.defaults()).close());
    assertTrue(e.getMessage().contains(OrtModel.SHARED_PREFIX_DECODER), e.getMessage());
  }

  @Test
  void eachDecoderRefusesTheOtherKindOfRun() {
    try (OrtModel shared = OrtModel.open(exported, BackendOptions.defaults(), true);
        OrtModel plain = OrtModel.open(exported, BackendOptions.defaults());
        OrtKvCache a = shared.emptyCache(1);
        OrtKvCache b = plain.emptyCache(1)) {
      assertTrue(shared.hasSharedPrefixDecoder());
      assertTrue(!plain.hasSharedPrefixDecoder());
      float[] e = new float[plain.hiddenSize()];
      long[] one = {1};
      long[] zero = {0};
      assertThrows(IllegalStateException.class, () -> shared.decode(e, 1, 1, one, zero, a));
      assertThrows(
          IllegalStateException.class, () -> plain.decodeSharedPrefix(e, 1, 1, one, zero, b, b));
    }
  }

  @Test
  void configDisagreeingWithGraphsIsNamed() throws Exception {
    Path dir = copy("config");
    Path cfg = dir.resolve("config.json");
    Files.writeString(
        cfg, Files.readString(cfg).replaceFirst("\"num_key_value_heads\" : \\d+", "\"num_key_value_heads\" : 4"));
    ModelFormatException e = openFails(dir);
    assertTrue(e.getMessage().contains("past_key_values.0.key"), e.getMessage());
  }

  @Test
  void cudaWithoutTheGpuBuildIsAClearError() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () ->
                OrtPolarJudge.open(
                        Checkpoint.of(exported), BackendOptions.defaults().withDevice("cuda"))
                    .close());
    assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
  }

  @Test
  void badOptimisationLevelIsRejected() {
    assertThrows(
        InvalidInputException.class,
        () ->
            OrtPolarJudge.open(
                    Checkpoint.of(exported),
                    BackendOptions.defaults().withProperty("onnx.optimization", "fastest"))
                .close());
  }

  @Test
  void optionsAreApplied() {
    BackendOptions o =
        BackendOptions.defaults()
            .withThreads(1)
            .withProperty("onnx.optimization", "basic")
            .withProperty("onnx.interOpThreads", "1")
            .withProperty("onnx.allowSpinning", "false");
    try (OrtPolarJudge judge = OrtPolarJudge.open(Checkpoint.of(exported), o)) {
      assertTrue(judge.judge(TinyModels.image(1), List.of()).isEmpty());
    }
  }

  @Test
  void profilePrefixWritesOneTracePerSession() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("profile"));
    BackendOptions o =
        BackendOptions.defaults().withProperty("onnx.profile", dir.resolve("trace").toString());
    try (OrtPolarJudge judge = OrtPolarJudge.open(Checkpoint.of(exported), o)) {
      judge.judge(TinyModels.image(1), List.of(new PolarQuestion(new Claim("a circle"), "is there a circle ?")));
    }
    try (var files = Files.list(dir)) {
      List<Path> traces = files.filter(f -> f.getFileName().toString().startsWith("trace_")
          && f.toString().endsWith(".json")).toList();
      assertTrue(!traces.isEmpty(), "no profile in " + dir);
      assertTrue(Files.readString(traces.get(0)).contains("model_run"), traces.get(0).toString());
    }
  }

  @Test
  void blankProfilePrefixIsRejected() {
    InvalidInputException e = assertThrows(
        InvalidInputException.class,
        () ->
            OrtPolarJudge.open(
                    Checkpoint.of(exported),
                    BackendOptions.defaults().withProperty("onnx.profile", " "))
                .close());
    assertTrue(e.getMessage().contains("onnx.profile"), e.getMessage());
  }
}
