package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.text.Completion;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.spi.BackendOptions;

/**
 * The text generator against golden outputs of an independent PyTorch implementation of
 * transformers' Llama, Mistral and Qwen2 causal LMs (reference/causal_lm_reference.py): for each
 * family, layout and stored dtype, the same rendered chat prompt and input ids, the same
 * next-token log-probabilities (within 1e-4) alone and in a left-padded batch, and the same greedy
 * tokens and text, one by one and batched.
 */
class DjlTextGeneratorParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOL = 1e-4;

  static Stream<String> cases() throws IOException, URISyntaxException {
    return TextCases.names().stream();
  }

  static long[] longs(JsonNode arr) {
    long[] out = new long[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asLong();
    }
    return out;
  }

  static void close(JsonNode want, float[] got, String what) {
    assertEquals(want.size(), got.length, what + ": vocabulary size");
    double worst = 0;
    for (int i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(want.get(i).asDouble() - got[i]));
    }
    assertTrue(worst <= TOL, what + ": max |diff| " + worst);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void promptsAndLogProbsMatchTheReferenceAloneAndBatched(String name) throws Exception {
    Path d = TextCases.dir(name);
    JsonNode g = JSON.readTree(d.resolve("golden.json").toFile());
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu());
        NDManager m = lm.model().manager().newSubManager()) {
      assertEquals(g.get("vocab_size").asInt(), lm.model().config().vocabSize());
      assertArrayEquals(longs(g.get("eos_token_ids")), lm.eosIds(), name + " eos ids");
      List<long[]> ids = new ArrayList<>();
      for (JsonNode p : g.get("prompts")) {
        String text = p.get("text").asText();
        assertEquals(p.get("rendered").asText(), lm.renderPrompt(text), name + " rendered prompt");
        long[] want = longs(p.get("input_ids"));
        assertArrayEquals(want, lm.promptIds(text), name + " input ids of " + text);
        ids.add(want);
        NDArray lp = lm.model().lastLogits(m, List.of(want), lm.padId(), null).logSoftmax(-1);
        close(p.get("last_logprobs"), lp.toFloatArray(), name + " alone: " + text);
      }
      // one left-padded batch of prompts of different lengths gives every row its own numbers
      NDArray batched = lm.model().lastLogits(m, ids, lm.padId(), null).logSoftmax(-1);
      for (int i = 0; i < ids.size(); i++) {
        close(g.get("prompts").get(i).get("last_logprobs"), batched.get(i).toFloatArray(),
            name + " batched row " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void greedyGenerationMatchesTheReferenceOneByOneAndBatched(String name) throws Exception {
    Path d = TextCases.dir(name);
    JsonNode g = JSON.readTree(d.resolve("golden.json").toFile());
    List<String> prompts = new ArrayList<>();
    for (JsonNode p : g.get("prompts")) {
      prompts.add(p.get("text").asText());
    }
    int steps = g.get("prompts").get(0).get("greedy_ids").size();
    try (LoadedCausalLm lm = LoadedCausalLm.load(d, Device.cpu());
        DjlTextGenerator alone = new DjlTextGenerator(lm, TextGenerator.greedy(steps),
            BackendOptions.defaults().withBatchSize(1), false);
        DjlTextGenerator batched = new DjlTextGenerator(lm, TextGenerator.greedy(steps),
            BackendOptions.defaults(), false)) {
      List<Completion> one = new ArrayList<>();
      for (String p : prompts) {
        one.add(alone.complete(List.of(p)).get(0));
      }
      for (int i = 0; i < prompts.size(); i++) {
        JsonNode p = g.get("prompts").get(i);
        Completion c = one.get(i);
        assertArrayEquals(longs(p.get("generated_ids")), c.tokenIds(), name + " greedy ids " + i);
        assertEquals(p.get("generated_text").asText(), c.text(), name + " greedy text " + i);
        assertEquals(p.get("finish").asText(),
            c.finish() == Completion.Finish.EOS ? "eos" : "length", name + " finish " + i);
      }
      assertEquals(one, batched.complete(prompts), name + ": batched equals one by one");
      assertEquals(one.stream().map(Completion::text).toList(), batched.generateAll(prompts));
    }
  }

  /** The reference's golden causal LM directories under {@code src/test/resources/hf-text}. */
  static final class TextCases {
    private TextCases() {}

    static List<String> names() throws IOException, URISyntaxException {
      Path root = Path.of(TextCases.class.getResource("/hf-text").toURI());
      try (Stream<Path> dirs = Files.list(root)) {
        List<String> names =
            dirs.filter(x -> Files.isRegularFile(x.resolve("golden.json")))
                .map(x -> x.getFileName().toString())
                .sorted()
                .toList();
        if (names.isEmpty()) {
          throw new IllegalStateException("no golden cases under " + root);
        }
        return names;
      }
    }

    static Path dir(String name) throws URISyntaxException {
      return Path.of(TextCases.class.getResource("/hf-text/" + name).toURI());
    }
  }
}
