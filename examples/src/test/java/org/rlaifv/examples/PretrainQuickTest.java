package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * Runs {@code pretrain --quick} end to end: both checkpoints are written complete, and training
 * the policy again with the same seed gives the same bytes.
 */
@Tag("e2e")
class PretrainQuickTest {

  @Test
  void quickPretrainWritesBothModelsReproducibly(@TempDir Path tmp) throws Exception {
    Path first = tmp.resolve("first");
    String text = CliRun.succeeds("pretrain", "--quick", "--seed", "3", "--out", first.toString());
    assertTrue(text.contains("policy") && text.contains("labeler"), text);
    for (String model : List.of(ShapesModels.POLICY, ShapesModels.LABELER)) {
      for (String file :
          List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
              "generation_config.json", "preprocessor_config.json")) {
        Path f = first.resolve(model).resolve(file);
        assertTrue(Files.isRegularFile(f) && Files.size(f) > 0, "missing " + f);
      }
    }

    Path second = tmp.resolve("second");
    CliRun.succeeds("pretrain", "--quick", "--seed", "3", "--only", "policy", "--out",
        second.toString());
    assertArrayEquals(
        Files.readAllBytes(first.resolve(ShapesModels.POLICY).resolve("model.safetensors")),
        Files.readAllBytes(second.resolve(ShapesModels.POLICY).resolve("model.safetensors")),
        "the same seed trains the same policy");
  }

  @Test
  void quickHardPretrainWritesThePolicyAndTheLabeler(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("hard");
    String text = CliRun.succeeds("pretrain", "--world", "hard", "--quick", "--out",
        dir.toString());
    assertTrue(text.contains("as a judge"), text);
    assertEquals(6, decoderLayers(dir.resolve(ShapesModels.HARD_POLICY)),
        "the policy starts from the labeler deepened by the relation phase");
    for (String model : List.of(ShapesModels.HARD_POLICY, ShapesModels.HARD_LABELER)) {
      for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
        Path f = dir.resolve(model).resolve(file);
        assertTrue(Files.isRegularFile(f) && Files.size(f) > 0, "missing " + f);
      }
    }

    // The relation phase deepened the labeler from 3 to 6 decoder layers; alone, it deepens DIR's
    // labeler again, to 7.
    byte[] before = Files.readAllBytes(dir.resolve(ShapesModels.HARD_LABELER)
        .resolve("model.safetensors"));
    text = CliRun.succeeds("pretrain", "--world", "hard", "--quick", "--only", "relations",
        "--relation-steps", "3", "--relation-layers", "7", "--out", dir.toString());
    assertTrue(text.contains("hard labeler (relations)"), text);
    assertEquals(7, decoderLayers(dir.resolve(ShapesModels.HARD_LABELER)));
    assertTrue(before.length < Files.size(dir.resolve(ShapesModels.HARD_LABELER)
        .resolve("model.safetensors")), "the deepened labeler has more parameters");
    try (java.util.stream.Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("deepened"))
          .toList(), "the deepened starting point is removed");
    }
    CliRun.assertOneLineError(CliRun.run("pretrain", "--world", "hard", "--quick", "--only",
        "relations", "--relation-steps", "3", "--relation-layers", "7", "--out", dir.toString()),
        1, "has 7 decoder layers; the relation phase needs more");
    CliRun.assertOneLineError(CliRun.run("pretrain", "--world", "hard", "--quick", "--only",
        "relations", "--relation-steps", "0", "--out", dir.toString()), 2,
        "--only relations needs --relation-steps N");
  }

  @Test
  void hardCaptionPhaseTakesAnotherPatchSizeAndDepths(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("p8");
    CliRun.succeeds("pretrain", "--world", "hard", "--quick", "--only", "captions", "--patch", "8",
        "--vision-layers", "2", "--decoder-layers", "4", "--out", dir.toString());
    com.fasterxml.jackson.databind.JsonNode config = new com.fasterxml.jackson.databind
        .ObjectMapper().readTree(dir.resolve(ShapesModels.HARD_POLICY).resolve("config.json")
            .toFile());
    com.fasterxml.jackson.databind.JsonNode vision = config.get("vision_config");
    assertEquals(8, vision.get("patch_size").asInt(), vision.toString());
    assertEquals(2, vision.get("num_hidden_layers").asInt(), vision.toString());
    assertEquals(4, decoderLayers(dir.resolve(ShapesModels.HARD_POLICY)), config.toString());
    CliRun.assertOneLineError(CliRun.run("pretrain", "--world", "hard", "--quick", "--patch", "5",
        "--out", tmp.resolve("bad").toString()), 2, "--patch must be 16, 8 or 4");
    CliRun.assertOneLineError(CliRun.run("pretrain", "--world", "hard", "--quick", "--only",
        "policy", "--out", tmp.resolve("bad").toString()), 2, "needs --multitask-from captions");
    CliRun.assertOneLineError(CliRun.run("pretrain", "--world", "hard", "--quick",
        "--labeler-relations", "1.5", "--out", tmp.resolve("bad").toString()), 2,
        "--labeler-relations must be in [0, 1]");
  }

  private static int decoderLayers(Path model) {
    return VlmConfig.read(model.resolve(VlmConfig.FILE_NAME)).numHiddenLayers();
  }
}
