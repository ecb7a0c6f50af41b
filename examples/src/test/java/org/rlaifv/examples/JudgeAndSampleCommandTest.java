package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.core.shapes.Cell;
import org.rlaifv.core.shapes.Colour;
import org.rlaifv.core.shapes.Scene;
import org.rlaifv.core.shapes.SceneObject;
import org.rlaifv.core.shapes.Shape;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * {@code judge} and {@code sample} on the shipped ShapesWorld checkpoints, opened through the
 * backend SPI as any user model directory would be: the labeler says yes to an object the image
 * shows and no to one it does not; the policy describes the image, reproducibly per seed.
 */
class JudgeAndSampleCommandTest {

  @TempDir
  static Path tmp;

  private static Path image;
  private static final Path MODELS = ShapesModels.modelsDirectory(null);
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void renderScene() {
    Scene scene = new Scene(1L, List.of(
        SceneObject.of(Shape.CIRCLE, Colour.RED, Cell.TOP_LEFT),
        SceneObject.of(Shape.SQUARE, Colour.BLUE, Cell.BOTTOM_RIGHT)));
    image = tmp.resolve("scene.png");
    ShapesWorld.defaults().image(scene).writePng(image);
  }

  private static String labeler() {
    return MODELS.resolve(ShapesModels.LABELER).toString();
  }

  private static String policy() {
    return MODELS.resolve(ShapesModels.POLICY).toString();
  }

  @Test
  void labelerSaysYesToAPresentShapeAndNoToAbsentOnes() {
    String text = CliRun.succeeds("judge", "--model", labeler(), "--image", image.toString(),
        "--question", "is there a red circle on the top left?",
        "--question", "is there a green triangle on the top right?",
        "--question", "is there a blue square on the bottom right?");
    List<String> lines = text.strip().lines().toList();
    assertEquals("p_yes   p_no    verdict  question", lines.get(0));
    assertEquals(4, lines.size(), text);
    assertTrue(lines.get(1).matches("0\\.\\d{4}  0\\.\\d{4}  yes      is there a red circle on "
        + "the top left\\?"), text);
    assertTrue(lines.get(2).contains("  no       is there a green triangle"), text);
    assertTrue(lines.get(3).contains("  yes      is there a blue square"), text);
  }

  @Test
  void judgeJsonGivesProbabilitiesAndVerdictsInQuestionOrder() throws Exception {
    String text = CliRun.succeeds("judge", "--model", labeler(), "--image", image.toString(),
        "--question", "is there a yellow cross on the bottom left?",
        "--question", "is there a red circle on the top left?", "--json");
    JsonNode root = JSON.readTree(text);
    assertEquals("djl", root.get("backend").asText());
    JsonNode v = root.get("verdicts");
    assertEquals(2, v.size());
    assertEquals("is there a yellow cross on the bottom left?", v.get(0).get("question").asText());
    assertEquals("no", v.get(0).get("verdict").asText());
    assertTrue(v.get(0).get("p_no").asDouble() > 0.8, v.toString());
    assertEquals("yes", v.get(1).get("verdict").asText());
    assertTrue(v.get(1).get("p_yes").asDouble() > 0.8, v.toString());
    for (JsonNode x : v) {
      double sum = x.get("p_yes").asDouble() + x.get("p_no").asDouble();
      assertTrue(sum > 0.5 && sum <= 1 + 1e-4, "yes/no mass " + sum);
      assertEquals(false, x.get("abstained").asBoolean());
    }
  }

  @Test
  void sampleDescribesTheImageReproduciblyPerSeed() throws Exception {
    String[] cmd = {"sample", "--model", policy(), "--image", image.toString(), "--prompt",
        "describe the image.", "--n", "3", "--temperature", "1.0", "--max-new-tokens", "64",
        "--seed", "5", "--json"};
    JsonNode root = JSON.readTree(CliRun.succeeds(cmd));
    JsonNode rs = root.get("responses");
    assertEquals(3, rs.size());
    for (int i = 0; i < 3; i++) {
      JsonNode r = rs.get(i);
      assertEquals(i, r.get("index").asInt());
      assertTrue(r.get("text").asText().startsWith("there is a "), r.toString());
      assertTrue(r.get("tokens").asInt() > 0 && r.get("tokens").asInt() <= 64, r.toString());
    }
    assertEquals(3, root.get("params").get("n").asInt());
    assertEquals(5, root.get("params").get("seed").asLong());
    assertEquals(rs, JSON.readTree(CliRun.succeeds(cmd)).get("responses"),
        "the same seed gives the same responses");
  }

  @Test
  void greedySampleMentionsWhatTheImageShows() {
    String text = CliRun.succeeds("sample", "--model", policy(), "--image", image.toString(),
        "--prompt", "describe the image.", "--temperature", "0", "--max-new-tokens", "64");
    List<String> lines = text.strip().lines().toList();
    assertEquals(2, lines.size(), text);
    assertTrue(lines.get(0).matches("\\[0\\] seed -?\\d+, \\d+ tokens"), text);
    assertTrue(lines.get(1).contains("red circle") && lines.get(1).contains("blue square"), text);
  }

  @Test
  void onnxBackendOpensAnExportedModelAndAgreesWithDjl() throws Exception {
    Path onnx = tmp.resolve("labeler-onnx");
    OnnxExporter.export(Path.of(labeler()), onnx);
    String[] questions = {"--question", "is there a red circle on the top left?",
        "--question", "is there a green triangle on the top right?", "--json"};
    JsonNode viaDjl = JSON.readTree(CliRun.succeeds(concat(new String[] {"judge", "--model",
        labeler(), "--image", image.toString()}, questions))).get("verdicts");
    JsonNode viaOnnx = JSON.readTree(CliRun.succeeds(concat(new String[] {"judge", "--model",
        onnx.toString(), "--image", image.toString(), "--backend", "onnx"}, questions)))
        .get("verdicts");
    for (int i = 0; i < 2; i++) {
      assertEquals(viaDjl.get(i).get("verdict"), viaOnnx.get(i).get("verdict"));
      assertEquals(viaDjl.get(i).get("p_yes").asDouble(), viaOnnx.get(i).get("p_yes").asDouble(),
          1e-4);
    }
    CliRun.assertOneLineError(CliRun.run("judge", "--model", labeler(), "--image",
        image.toString(), "--question", "is it?", "--backend", "onnx"), Main.FAILED,
        "missing ONNX graph");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void anUnreadableImageIsAFailureNamingTheFile() {
    Path missing = tmp.resolve("missing.png");
    CliRun.assertOneLineError(CliRun.run("judge", "--model", labeler(), "--image",
        missing.toString(), "--question", "is there a cat?"), Main.FAILED, missing.toString());
    CliRun.assertOneLineError(CliRun.run("sample", "--model", policy(), "--image",
        missing.toString(), "--prompt", "describe the image."), Main.FAILED, missing.toString());
  }
}
