package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.Provenance;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.text.Completion;
import org.rlaifv.core.text.Completion.Finish;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.djl.model.TextConfig;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import org.rlaifv.spi.Capability;

/**
 * Decoding behaviour of the text generator on the reference's golden causal LMs: end-of-sequence
 * ids (a list, and the fallbacks), stop strings, the token and position limits, seeded sampling,
 * and the backend SPI.
 */
class DjlTextGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static Path golden(String name) throws Exception {
    return DjlTextGeneratorParityTest.TextCases.dir(name);
  }

  static JsonNode goldenJson(String name) throws Exception {
    return JSON.readTree(golden(name).resolve("golden.json").toFile());
  }

  static List<String> prompts(JsonNode g) {
    List<String> out = new ArrayList<>();
    g.get("prompts").forEach(p -> out.add(p.get("text").asText()));
    return out;
  }

  /** Copies a golden model directory so a test can edit its files. */
  Path copy(String name) throws Exception {
    Path src = golden(name);
    Path dst = tmp.resolve(name);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  static void editJson(Path file, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(root);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  static long[] longs(JsonNode arr) {
    return DjlTextGeneratorParityTest.longs(arr);
  }

  @Test
  void everyEndOfSequenceIdOfGenerationConfigEndsACompletion() throws Exception {
    JsonNode g = goldenJson("qwen2-tied-bf16-sharded");
    long[] greedy = longs(g.get("prompts").get(2).get("greedy_ids"));
    int k = 1;
    while (contains(java.util.Arrays.copyOf(greedy, k), greedy[k])) {
      k++;
    }
    long stopAt = greedy[k];
    Path d = copy("qwen2-tied-bf16-sharded");
    editJson(d.resolve("generation_config.json"), root -> {
      long first = root.get("eos_token_id").get(0).asLong();
      root.putArray("eos_token_id").add(first).add(stopAt);
    });
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu());
        DjlTextGenerator gen = new DjlTextGenerator(lm, TextGenerator.greedy(8),
            BackendOptions.defaults(), false)) {
      Completion c = gen.complete(List.of(prompts(g).get(2))).get(0);
      assertArrayEquals(java.util.Arrays.copyOf(greedy, k), c.tokenIds());
      assertEquals(Finish.EOS, c.finish());
    }
  }

  private static boolean contains(long[] xs, long x) {
    for (long v : xs) {
      if (v == x) {
        return true;
      }
    }
    return false;
  }

  @Test
  void endOfSequenceFallsBackToConfigJsonThenTheTokenizerConfig() throws Exception {
    Path d = copy("llama-untied-f32");
    JsonNode cfg = JSON.readTree(d.resolve("config.json").toFile());
    Files.delete(d.resolve("generation_config.json"));
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu())) {
      assertArrayEquals(new long[] {cfg.get("eos_token_id").asLong()}, lm.eosIds());
    }
    editJson(d.resolve("config.json"), root -> root.remove("eos_token_id"));
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu())) {
      assertArrayEquals(new long[] {lm.tokenizer().tokenId("<|eot_id|>")}, lm.eosIds());
    }
    editJson(d.resolve("tokenizer_config.json"), root -> root.remove("eos_token"));
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> LoadedCausalLm.load(d, Device.cpu()));
    assertTrue(e.getMessage().contains("end-of-sequence") && e.getMessage().contains(d.toString()),
        e.getMessage());
  }

  @Test
  void aStopStringCutsTheTextAndTheTokenLimitHolds() throws Exception {
    JsonNode g = goldenJson("mistral-f16-head-dim");
    JsonNode p = g.get("prompts").get(1);
    String full = p.get("generated_text").asText();
    String[] words = full.split(" ");
    String stop = " " + words[2];
    String want = full.substring(0, full.indexOf(stop));
    try (LoadedCausalLm lm = LoadedCausalLm.load(golden("mistral-f16-head-dim"), Device.cpu());
        DjlTextGenerator stopping = new DjlTextGenerator(lm,
            TextGenerator.greedy(8).toBuilder().stopSequences(List.of("never written", stop)).build(),
            BackendOptions.defaults(), false);
        DjlTextGenerator three = new DjlTextGenerator(lm, TextGenerator.greedy(3),
            BackendOptions.defaults(), false)) {
      Completion c = stopping.complete(List.of(p.get("text").asText())).get(0);
      assertEquals(want, c.text());
      assertEquals(Finish.STOP_STRING, c.finish());
      Completion short3 = three.complete(List.of(p.get("text").asText())).get(0);
      assertArrayEquals(java.util.Arrays.copyOf(longs(p.get("generated_ids")), 3), short3.tokenIds());
      assertEquals(Finish.LENGTH, short3.finish());
    }
  }

  @Test
  void seededSamplingDependsOnThePromptAndSeedOnlyNotTheBatch() throws Exception {
    JsonNode g = goldenJson("llama-untied-f32");
    List<String> prompts = prompts(g);
    List<String> withRepeat = new ArrayList<>(prompts);
    withRepeat.add(prompts.get(0));
    try (LoadedCausalLm lm = LoadedCausalLm.load(golden("llama-untied-f32"), Device.cpu())) {
      Set<String> texts = new HashSet<>();
      for (long seed = 0; seed < 4; seed++) {
        SamplingParams sampling = SamplingParams.builder().n(1).temperature(1.0).topK(20)
            .maxNewTokens(8).baseSeed(seed).build();
        try (DjlTextGenerator batched = new DjlTextGenerator(lm, sampling,
                BackendOptions.defaults(), false);
            DjlTextGenerator alone = new DjlTextGenerator(lm, sampling,
                BackendOptions.defaults().withBatchSize(1), false)) {
          List<Completion> all = batched.complete(withRepeat);
          assertEquals(all.get(0), all.get(3), "the same prompt twice in a batch");
          for (int i = 0; i < prompts.size(); i++) {
            assertEquals(alone.complete(List.of(prompts.get(i))).get(0), all.get(i), "seed " + seed);
          }
          assertEquals(all, batched.complete(withRepeat), "a rerun");
          texts.add(all.get(0).text());
        }
      }
      assertTrue(texts.size() > 1, "different base seeds give different samples: " + texts);
    }
  }

  @Test
  void generationStopsAtMaxPositionEmbeddingsAndBatchesStillMatch() throws Exception {
    JsonNode g = goldenJson("llama-untied-f32");
    List<String> prompts = prompts(g);
    int longest = g.get("prompts").get(2).get("input_ids").size();
    for (JsonNode p : g.get("prompts")) {
      assertTrue(p.get("input_ids").size() <= longest, "the last prompt is the longest");
    }
    int limit = longest + 3;
    Path d = copy("llama-untied-f32");
    editJson(d.resolve("config.json"), root -> root.put("max_position_embeddings", limit));
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu());
        DjlTextGenerator batched = new DjlTextGenerator(lm, TextGenerator.greedy(16),
            BackendOptions.defaults(), false);
        DjlTextGenerator alone = new DjlTextGenerator(lm, TextGenerator.greedy(16),
            BackendOptions.defaults().withBatchSize(1), false)) {
      List<Completion> all = batched.complete(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        Completion c = all.get(i);
        assertEquals(alone.complete(List.of(prompts.get(i))).get(0), c, "prompt " + i);
        int len = g.get("prompts").get(i).get("input_ids").size();
        if (c.finish() == Finish.LENGTH) {
          assertEquals(Math.min(16, limit - len + 1), c.tokenIds().length, "prompt " + i);
        }
      }
      assertEquals(4, all.get(2).tokenIds().length, "the longest prompt reaches the limit");
    }
    editJson(d.resolve("config.json"), root -> root.put("max_position_embeddings", longest - 1));
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu());
        DjlTextGenerator gen = new DjlTextGenerator(lm, TextGenerator.greedy(4),
            BackendOptions.defaults(), false)) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> gen.generateAll(prompts));
      assertTrue(e.getMessage().contains("prompt 2") && e.getMessage().contains("max_position_embeddings"),
          e.getMessage());
    }
  }

  @Test
  void theBackendOpensCausalLmsThroughTheSpi() throws Exception {
    BackendProvider djl = Backends.get("djl");
    assertTrue(djl.hasCapability(Capability.TEXT_GENERATION));
    JsonNode g = goldenJson("mistral-f16-head-dim");
    JsonNode p = g.get("prompts").get(0);
    assertEquals("eos", p.get("finish").asText(), "this prompt ends at EOS well before the default limit");
    Checkpoint ckpt = Checkpoint.of(golden("mistral-f16-head-dim"));
    try (TextGenerator gen = djl.newTextGenerator(ckpt, BackendOptions.defaults())) {
      assertEquals(p.get("generated_text").asText(), gen.generate(p.get("text").asText()));
      Provenance prov = gen.provenance();
      assertEquals("0.0", prov.settings().get("temperature"));
      assertEquals(String.valueOf(TextGenerator.DEFAULT_MAX_NEW_TOKENS),
          prov.settings().get("maxNewTokens"));
      assertEquals(Provenance.weightsDigest(ckpt.directory()), prov.settings().get("model.sha256"));
    }
    SamplingParams twoSamples = SamplingParams.builder().n(2).build();
    assertThrows(InvalidInputException.class,
        () -> djl.newTextGenerator(ckpt, BackendOptions.defaults(), twoSamples));
  }

  @Test
  void aVisionLanguageModelIsNoTextGeneratorAndBackAgain() throws Exception {
    BackendProvider djl = Backends.get("djl");
    Path llava = Path.of(getClass().getResource("/hf/llava-clip-llama").toURI());
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> djl.newTextGenerator(Checkpoint.of(llava), BackendOptions.defaults()));
    assertTrue(e.getMessage().contains("vision-language"), e.getMessage());
    ModelFormatException back = assertThrows(ModelFormatException.class,
        () -> djl.newSampler(Checkpoint.of(golden("llama-untied-f32")), BackendOptions.defaults()));
    assertTrue(back.getMessage().contains("text-only causal LM"), back.getMessage());
  }

  @Test
  void configFieldsTheDecoderCannotHonourAreRefusedByName() throws Exception {
    Path d = copy("llama-untied-f32");
    Path cfg = d.resolve("config.json");
    editJson(cfg, root -> root.putObject("rope_scaling").put("rope_type", "llama3"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TextConfig.read(cfg));
    assertTrue(e.getMessage().contains(cfg.toString()) && e.getMessage().contains("rope_scaling"),
        e.getMessage());
    editJson(cfg, root -> {
      root.remove("rope_scaling");
      root.putArray("architectures").add("LlamaForSequenceClassification");
    });
    e = assertThrows(ModelFormatException.class, () -> TextConfig.read(cfg));
    assertTrue(e.getMessage().contains("LlamaForSequenceClassification"), e.getMessage());
    editJson(cfg, root -> {
      root.putArray("architectures").add("LlamaForCausalLM");
      root.put("num_key_value_heads", 3);
    });
    e = assertThrows(ModelFormatException.class, () -> TextConfig.read(cfg));
    assertTrue(e.getMessage().contains("num_key_value_heads"), e.getMessage());
  }
}
