package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.Checkpoint;
import org.rlaifv.ModelFormatException;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.internal.TextGeneration;
import org.rlaifv.core.text.Completion;
import org.rlaifv.djl.DjlTextGenerator;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.Capability;

/**
 * Exports of the text-only causal LMs (Llama untied F32, Mistral F16 with head_dim and a chat
 * template file, Qwen2 tied BF16 shards) run on ONNX Runtime as the reference computed them
 * (reference/causal_lm_reference.py's goldens) and as the djl generator runs them: next-token
 * log-probs within 1e-4 alone and in a left-padded batch, identical greedy ids, text and finish,
 * one by one and batched, and identical seeded samples and stop-string cuts.
 */
class OrtTextGeneratorParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("../rlaifv-djl/src/test/resources/hf-text");

  @TempDir static Path tmp;

  static Stream<String> cases() {
    return Stream.of("llama-untied-f32", "mistral-f16-head-dim", "qwen2-tied-bf16-sharded");
  }

  static Path export(String name) {
    Path out = tmp.resolve(name + "-onnx");
    if (!Files.isRegularFile(out.resolve(OnnxExporter.DECODER))) {
      OnnxExporter.export(GOLDEN.resolve(name), out);
    }
    return out;
  }

  static List<String> prompts(JsonNode g) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : g.get("prompts")) {
      out.add(p.get("text").asText());
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void logProbsMatchTheReferenceAloneAndLeftPadded(String name) throws Exception {
    JsonNode g = JSON.readTree(GOLDEN.resolve(name).resolve("golden.json").toFile());
    Path onnx = export(name);
    assertFalse(Files.exists(onnx.resolve(OnnxExporter.VISION)), "a text LM has no vision graph");
    try (OrtModel m = OrtModel.open(onnx, BackendOptions.defaults())) {
      List<long[]> ids = new ArrayList<>();
      for (JsonNode p : g.get("prompts")) {
        ids.add(HfFamiliesParityTest.longs(p.get("input_ids")));
      }
      int width = ids.stream().mapToInt(a -> a.length).max().orElseThrow();
      for (int rows : new int[] {1, ids.size()}) {
        for (int start = 0; start + rows <= ids.size(); start += rows) {
          int w = rows == 1 ? ids.get(start).length : width;
          long[] tokens = new long[rows * w];
          long[] mask = new long[rows * w];
          for (int r = 0; r < rows; r++) {
            long[] row = ids.get(start + r);
            System.arraycopy(row, 0, tokens, r * w + w - row.length, row.length);
            Arrays.fill(mask, r * w + w - row.length, (r + 1) * w, 1L);
          }
          long[] pos = TextGeneration.positionsFromMask(mask, rows, w);
          try (OrtKvCache empty = m.emptyCache(rows);
              DecoderOutput o = m.decode(m.embed(tokens, rows, w), rows, w, mask, pos, empty)) {
            for (int r = 0; r < rows; r++) {
              HfFamiliesParityTest.close(
                  HfFamiliesParityTest.floats(g.get("prompts").get(start + r).get("last_logprobs")),
                  HfFamiliesParityTest.logSoftmax(o.logits(r, w - 1)),
                  name + " prompt " + (start + r) + " in " + rows + " rows");
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void greedyTextMatchesTheReferenceAndDjlOneByOneAndBatched(String name) throws Exception {
    JsonNode g = JSON.readTree(GOLDEN.resolve(name).resolve("golden.json").toFile());
    List<String> prompts = prompts(g);
    int steps = g.get("prompts").get(0).get("greedy_ids").size();
    OnnxBackendProvider onnx = new OnnxBackendProvider();
    assertTrue(onnx.capabilities().contains(Capability.TEXT_GENERATION));
    SamplingParams greedy = TextGenerator.greedy(steps);
    List<Completion> djl;
    try (LoadedCausalLm lm = LoadedCausalLm.load(GOLDEN.resolve(name), Device.cpu());
        DjlTextGenerator gen =
            new DjlTextGenerator(lm, greedy, BackendOptions.defaults(), false)) {
      djl = gen.complete(prompts);
    }
    try (OrtTextGenerator alone = OrtTextGenerator.open(Checkpoint.of(export(name)),
            BackendOptions.defaults().withBatchSize(1), greedy);
        TextGenerator batched =
            onnx.newTextGenerator(Checkpoint.of(export(name)), BackendOptions.defaults(), greedy)) {
      List<Completion> one = new ArrayList<>();
      for (String p : prompts) {
        one.add(alone.complete(List.of(p)).get(0));
      }
      for (int i = 0; i < prompts.size(); i++) {
        JsonNode p = g.get("prompts").get(i);
        Completion c = one.get(i);
        assertArrayEquals(HfFamiliesParityTest.longs(p.get("generated_ids")), c.tokenIds(),
            name + " greedy ids " + i);
        assertEquals(p.get("generated_text").asText(), c.text(), name + " greedy text " + i);
        assertEquals(p.get("finish").asText(),
            c.finish() == Completion.Finish.EOS ? "eos" : "length", name + " finish " + i);
      }
      assertEquals(djl, one, name + ": the same completions as djl");
      assertEquals(one.stream().map(Completion::text).toList(), batched.generateAll(prompts),
          name + ": batched equals one by one");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void seededSamplesAndStopStringsAreDjls(String name) throws Exception {
    JsonNode g = JSON.readTree(GOLDEN.resolve(name).resolve("golden.json").toFile());
    List<String> prompts = prompts(g);
    String stop = g.get("prompts").get(0).get("generated_text").asText().split(" ")[1];
    for (SamplingParams params : List.of(
        SamplingParams.builder().n(1).temperature(0.9).topK(20).baseSeed(11).maxNewTokens(10)
            .build(),
        SamplingParams.builder().n(1).temperature(0).maxNewTokens(10).stopSequences(List.of(stop))
            .build())) {
      List<Completion> djl;
      try (LoadedCausalLm lm = LoadedCausalLm.load(GOLDEN.resolve(name), Device.cpu());
          DjlTextGenerator gen = new DjlTextGenerator(lm, params, BackendOptions.defaults(), false)) {
        djl = gen.complete(prompts);
      }
      try (OrtTextGenerator gen =
          OrtTextGenerator.open(Checkpoint.of(export(name)), BackendOptions.defaults(), params)) {
        assertEquals(djl, gen.complete(prompts), name + " " + params);
      }
      if (!params.stopSequences().isEmpty()) {
        assertTrue(djl.stream().anyMatch(c -> c.finish() == Completion.Finish.STOP_STRING),
            name + ": the stop string cuts a completion");
      }
    }
  }

  @Test
  void aVisionLanguageExportIsRefused() throws Exception {
    Path vlm = tmp.resolve("llava-onnx");
    OnnxExporter.export(Path.of("../rlaifv-djl/src/test/resources/hf/llava-clip-llama"), vlm);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> OrtTextGenerator.open(Checkpoint.of(vlm), BackendOptions.defaults(),
            TextGenerator.greedy(4)));
    assertTrue(e.getMessage().contains("vision-language"), e.getMessage());
  }
}
