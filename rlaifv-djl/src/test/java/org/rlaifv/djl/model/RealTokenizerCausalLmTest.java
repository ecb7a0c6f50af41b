package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlaifv.TextGenerator;
import org.rlaifv.djl.DjlTextGenerator;
import org.rlaifv.core.text.Completion;
import org.rlaifv.spi.BackendOptions;

/**
 * Causal LM directories with published tokenizers and templates (Mistral-7B-Instruct-v0.3's
 * sentencepiece BPE, Qwen2.5-Instruct's byte-level BPE; see hf-tokenizers/README.md) around tiny
 * random weights: the prompt ids are the rendered template's ids with BOS exactly once (Mistral's
 * template writes it) or never (Qwen), the end-of-sequence id comes from the tokenizer config when
 * the directory has no generation config, and batches of real-length prompts decode as they do
 * alone.
 */
class RealTokenizerCausalLmTest {
  @TempDir Path tmp;

  private Path directory(String fixture, String modelType, int vocab) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(fixture));
    for (String file : List.of("tokenizer_config.json", "chat_template.jinja")) {
      try (InputStream in = resource("hf-tokenizers/" + fixture + "/" + file)) {
        if (in != null) {
          Files.copy(in, dir.resolve(file));
        }
      }
    }
    try (InputStream in =
        new GZIPInputStream(resource("hf-tokenizers/" + fixture + "/tokenizer.json.gz"))) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["%s"], "model_type": "%s", "hidden_size": 16, "intermediate_size": 32,
         "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1,
         "vocab_size": %d, "max_position_embeddings": 4096, "tie_word_embeddings": true,
         "sliding_window": null}
        """.formatted(modelType.equals("qwen2") ? "Qwen2ForCausalLM" : "MistralForCausalLM",
            modelType, vocab));
    TextConfig config = TextConfig.read(dir.resolve("config.json"));
    Random rng = new Random(7);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : CausalLmModel.parameterShapes(config).entrySet()) {
      long[] shape = e.getValue();
      int n = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      float[] data = new float[n];
      boolean norm = e.getKey().endsWith("norm.weight");
      for (int i = 0; i < n; i++) {
        data[i] = norm ? 1f : (float) (rng.nextGaussian() * 0.5);
      }
      tensors.put(e.getKey(), new SafeTensors.Tensor(shape, data));
    }
    SafeTensors.write(dir.resolve("model.safetensors"), tensors);
    return dir;
  }

  private static InputStream resource(String path) {
    return RealTokenizerCausalLmTest.class.getClassLoader().getResourceAsStream(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mistral", "qwen2.5"})
  void publishedTokenizersAndTemplatesDriveGeneration(String fixture) throws Exception {
    boolean qwen = fixture.startsWith("qwen");
    Path dir = directory(fixture, qwen ? "qwen2" : "mistral", qwen ? 151936 : 32000);
    List<String> prompts = List.of("Is there a cat?",
        "List the facts: there is a red circle on the left and a small blue square.",
        "Rewrite as yes/no questions:\n- The dog is not sleeping.\n- Two birds sit on the fence.");
    try (LoadedCausalLm lm = LoadedCausalLm.load(dir, Device.cpu());
        DjlTextGenerator batched = new DjlTextGenerator(lm, TextGenerator.greedy(6),
            BackendOptions.defaults(), false);
        DjlTextGenerator alone = new DjlTextGenerator(lm, TextGenerator.greedy(6),
            BackendOptions.defaults().withBatchSize(1), false)) {
      String rendered = lm.renderPrompt(prompts.get(0));
      long[] ids = lm.promptIds(prompts.get(0));
      assertArrayEquals(lm.tokenizer().encode(rendered, false), ids);
      if (qwen) {
        assertTrue(rendered.startsWith("<|im_start|>system\nYou are Qwen"), rendered);
        assertEquals(lm.tokenizer().tokenId("<|im_start|>"), ids[0]);
        assertArrayEquals(new long[] {lm.tokenizer().tokenId("<|im_end|>")}, lm.eosIds());
      } else {
        assertEquals("<s>[INST] Is there a cat?[/INST]", rendered);
        assertEquals(1, ids[0], "BOS");
        assertNotEquals(1, ids[1], "the template's BOS is not doubled by the tokenizer's");
        assertArrayEquals(new long[] {2}, lm.eosIds());
      }
      List<Completion> all = batched.complete(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        Completion c = all.get(i);
        assertEquals(alone.complete(List.of(prompts.get(i))).get(0), c, fixture + " prompt " + i);
        assertEquals(lm.decode(c.tokenIds()), c.text());
      }
    }
  }
}
