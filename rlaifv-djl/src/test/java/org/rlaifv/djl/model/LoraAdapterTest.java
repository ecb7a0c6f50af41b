package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LoraConfig;
import org.rlaifv.ModelFormatException;

/**
 * LoRA adapters against PEFT's definition: golden adapter directories and log-probs from an
 * independent PyTorch statement of PEFT's LoRA (reference/peft_lora_reference.py) for both LLaVA
 * key layouts, B = 0 computing the base exactly, merging, saving and reloading, PEFT's key names
 * and config fields, and named errors for bad adapter files.
 */
class LoraAdapterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOL = 1e-4;

  @TempDir Path tmp;

  static Path peft(String name) throws Exception {
    return HfGoldenCases.dir(name).getParent().getParent().resolve("peft").resolve(name);
  }

  /** Prompt last log-probs followed by the response's token log-probs, as the golden lists them. */
  static float[] goldenOutputs(VlmModel model, NDManager m, JsonNode base) {
    long[] shape = HfForwardParityTest.longs(base.get("pixel_shape"));
    NDArray feats = model.imageFeatures(
        m.create(HfForwardParityTest.floats(base.get("pixel_values")), new Shape(shape)));
    long[] ids = HfForwardParityTest.longs(base.get("prompt").get("input_ids"));
    long[] resp = HfForwardParityTest.longs(base.get("response").get("ids"));
    long[] full = java.util.Arrays.copyOf(ids, ids.length + resp.length);
    System.arraycopy(resp, 0, full, ids.length, resp.length);
    NDArray e = HfForwardParityTest.embeds(model, m, full, feats);
    long[] ones = new long[full.length];
    java.util.Arrays.fill(ones, 1);
    NDArray mask = m.create(ones, new Shape(1, full.length));
    NDArray logp = model.forward(e, mask, VlmModel.positionsFromMask(mask, full.length), null)
        .logSoftmax(-1);
    float[] last = logp.get("0, " + (ids.length - 1) + ", :").toFloatArray();
    float[] out = java.util.Arrays.copyOf(last, last.length + resp.length);
    for (int k = 0; k < resp.length; k++) {
      out[last.length + k] = logp.get("0, " + (ids.length - 1 + k) + ", " + resp[k]).getFloat();
    }
    return out;
  }

  static float[] logits(VlmModel model, JsonNode base) {
    try (NDManager m = model.manager().newSubManager()) {
      long[] shape = HfForwardParityTest.longs(base.get("pixel_shape"));
      NDArray feats = model.imageFeatures(
          m.create(HfForwardParityTest.floats(base.get("pixel_values")), new Shape(shape)));
      long[] ids = HfForwardParityTest.longs(base.get("prompt").get("input_ids"));
      NDArray e = HfForwardParityTest.embeds(model, m, ids, feats);
      long[] ones = new long[ids.length];
      java.util.Arrays.fill(ones, 1);
      NDArray mask = m.create(ones, new Shape(1, ids.length));
      return model.forward(e, mask, VlmModel.positionsFromMask(mask, ids.length), null)
          .toFloatArray();
    }
  }

  static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  static JsonNode json(Path f) throws Exception {
    return JSON.readTree(f.toFile());
  }

  static float[] expected(JsonNode golden) {
    List<Float> v = new ArrayList<>();
    golden.get("prompt_last_logprobs").forEach(n -> v.add((float) n.asDouble()));
    golden.get("response_token_logprobs").forEach(n -> v.add((float) n.asDouble()));
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llava-clip-llama", "llava-clip-mistral"})
  void peftAdapterGivesTheReferenceLogProbsAttachedAndMerged(String name) throws Exception {
    Path base = HfGoldenCases.dir(name);
    Path adapterDir = peft(name);
    JsonNode baseGolden = json(base.resolve("golden.json"));
    JsonNode golden = json(adapterDir.resolve("golden.json"));
    float[] want = expected(golden);
    try (VlmModel model = VlmModel.load(base, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      LoraAdapter lora = LoraAdapter.load(adapterDir, model, KeyLayout.of(base));
      assertEquals(golden.get("modules").asInt(), lora.modules().size());
      assertEquals(golden.get("scaling").asDouble(), lora.scaling(), 1e-7);
      model.attachAdapter(lora);
      double d = maxDiff(want, goldenOutputs(model, m, baseGolden));
      assertTrue(d <= TOL, name + " adapted: max |diff| " + d);
    }
    // An adapter directory opens on the base its base_model_name_or_path names (relative to it).
    assertEquals(base.toRealPath(), LoraAdapter.baseDirectory(adapterDir).toRealPath());
    try (LoadedVlm merged = LoadedVlm.load(adapterDir, Device.cpu());
        NDManager m = merged.model().manager().newSubManager()) {
      assertEquals(adapterDir, merged.directory().orElseThrow());
      assertTrue(merged.model().adapter().isEmpty(), "merged into the weights");
      double d = maxDiff(want, goldenOutputs(merged.model(), m, baseGolden));
      assertTrue(d <= TOL, name + " merged: max |diff| " + d);
    }
  }

  @Test
  void zeroBComputesTheBaseExactlyAndSwitchedOffToo() throws Exception {
    Path base = HfGoldenCases.dir("llava-clip-llama");
    JsonNode g = json(base.resolve("golden.json"));
    try (VlmModel model = VlmModel.load(base, Device.cpu())) {
      float[] plain = logits(model, g);
      LoraAdapter lora = LoraAdapter.create(model,
          LoraConfig.builder().rank(4).alpha(8).includeVision(true)
              .targetModules(List.of("q_proj", "v_proj", "fc1", "linear_2", "down_proj")).build(),
          KeyLayout.ORIGINAL, 3);
      model.attachAdapter(lora);
      assertArrayEquals(plain, logits(model, g), "B = 0 gives the base bit for bit");
      lora.parameters().values().stream().filter(a -> a.getName().endsWith("lora_B.weight"))
          .forEach(b -> b.addi(0.5f));
      float[] adapted = logits(model, g);
      assertTrue(maxDiff(plain, adapted) > 1e-2, "a non-zero B changes the outputs");
      lora.setEnabled(false);
      assertArrayEquals(plain, logits(model, g), "adapters off give the base bit for bit");
      lora.setEnabled(true);
      model.mergeAdapter();
      double d = maxDiff(adapted, logits(model, g));
      assertTrue(d <= 1e-5, "merged logits equal the adapted ones: max |diff| " + d);
    }
  }

  @Test
  void newAdaptersFollowPeftsInitKeysAndConfig() throws Exception {
    for (String name : List.of("llava-clip-llama", "llava-clip-mistral", "llava-siglip-qwen2")) {
      Path base = HfGoldenCases.dir(name);
      KeyLayout layout = KeyLayout.of(base);
      try (VlmModel model = VlmModel.load(base, Device.cpu())) {
        LoraConfig cfg = LoraConfig.builder().rank(4).alpha(16).dropout(0.1).build();
        LoraAdapter lora = LoraAdapter.create(model, cfg, layout, 7);
        // every decoder projection of both layers, nothing of the vision tower or projector
        assertEquals(2 * 7, lora.modules().size());
        assertTrue(lora.modules().stream().allMatch(s -> s.startsWith("language_model.model.")));
        assertEquals(4.0f, lora.scaling());
        for (Map.Entry<String, NDArray> e : lora.parameters().entrySet()) {
          String module = e.getKey().substring(0, e.getKey().indexOf(".lora_"));
          long[] w = model.parameters().get(module + ".weight").getShape().getShape();
          float[] v = e.getValue().toFloatArray();
          if (e.getKey().endsWith("lora_A.weight")) {
            assertArrayEquals(new long[] {4, w[1]}, e.getValue().getShape().getShape());
            double bound = 1 / Math.sqrt(w[1]);
            double sumSq = 0;
            for (float x : v) {
              assertTrue(Math.abs(x) <= bound, e.getKey() + " within the Kaiming-uniform bound");
              sumSq += x * x;
            }
            // uniform(-b, b) has variance b^2 / 3
            assertEquals(bound * bound / 3, sumSq / v.length, bound * bound / 3 * 0.35, e.getKey());
          } else {
            assertArrayEquals(new long[] {w[0], 4}, e.getValue().getShape().getShape());
            for (float x : v) {
              assertEquals(0f, x, e.getKey());
            }
          }
        }
        Path out = tmp.resolve(name);
        lora.save(out, "some/base");
        Map<String, SafeTensors.Tensor> saved = SafeTensors.read(out.resolve("adapter_model.safetensors"));
        String first = layout == KeyLayout.ORIGINAL
            ? "base_model.model.language_model.model.layers.0.self_attn.q_proj"
            : "base_model.model.model.language_model.layers.0.self_attn.q_proj";
        assertTrue(saved.containsKey(first + ".lora_A.weight"), saved.keySet().toString());
        assertTrue(saved.containsKey(first + ".lora_B.weight"));
        assertEquals(28, saved.size());
        JsonNode c = json(out.resolve("adapter_config.json"));
        assertEquals("LORA", c.get("peft_type").asText());
        assertEquals(4, c.get("r").asInt());
        assertEquals(16, c.get("lora_alpha").asInt());
        assertEquals(0.1, c.get("lora_dropout").asDouble());
        assertEquals("some/base", c.get("base_model_name_or_path").asText());
        assertEquals("CAUSAL_LM", c.get("task_type").asText());
        assertEquals("none", c.get("bias").asText());
        assertFalse(c.get("use_rslora").asBoolean());
        // the language-model-only targets are PEFT's regex form, matched on whole module names
        String re = c.get("target_modules").asText();
        String module = first.substring("base_model.model.".length());
        assertTrue(module.matches(re), re);
        assertFalse("vision_tower.vision_model.encoder.layers.0.self_attn.q_proj".matches(re));
      }
    }
  }

  @Test
  void savedAdapterReloadsToIdenticalOutputs() throws Exception {
    Path base = HfGoldenCases.dir("llava-clip-mistral");
    JsonNode g = json(base.resolve("golden.json"));
    Path out = tmp.resolve("again");
    float[] first;
    try (VlmModel model = VlmModel.load(base, Device.cpu())) {
      model.attachAdapter(LoraAdapter.load(peft("llava-clip-mistral"), model, KeyLayout.of(base)));
      first = logits(model, g);
      model.adapter().orElseThrow().save(out, base.toAbsolutePath().toString());
    }
    assertEquals(SafeTensors.read(peft("llava-clip-mistral").resolve("adapter_model.safetensors"))
            .keySet().stream().sorted().toList(),
        SafeTensors.read(out.resolve("adapter_model.safetensors")).keySet().stream().sorted().toList(),
        "the same PEFT keys as the reference wrote");
    try (VlmModel model = VlmModel.load(base, Device.cpu())) {
      model.attachAdapter(LoraAdapter.load(out, model, KeyLayout.of(base)));
      assertArrayEquals(first, logits(model, g));
    }
  }

  private Path copyOfGolden(String name) throws Exception {
    Path src = peft(name);
    Path dst = Files.createTempDirectory(tmp, "bad-" + name);
    for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
      Files.copy(src.resolve(f), dst.resolve(f));
    }
    ObjectNode c = (ObjectNode) json(dst.resolve("adapter_config.json"));
    c.put("base_model_name_or_path", HfGoldenCases.dir(name).toAbsolutePath().toString());
    JSON.writeValue(dst.resolve("adapter_config.json").toFile(), c);
    return dst;
  }

  private static String loadError(Path base, Path adapter) {
    try (VlmModel model = VlmModel.load(base, Device.cpu())) {
      return assertThrows(ModelFormatException.class,
          () -> LoraAdapter.load(adapter, model, KeyLayout.ORIGINAL)).getMessage();
    }
  }

  @Test
  void badAdapterFilesGetErrorsNamingTheTensor() throws Exception {
    Path base = HfGoldenCases.dir("llava-clip-llama");
    String key = "base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.weight";

    Path rank = copyOfGolden("llava-clip-llama");
    ObjectNode c = (ObjectNode) json(rank.resolve("adapter_config.json"));
    c.put("r", 8);
    JSON.writeValue(rank.resolve("adapter_config.json").toFile(), c);
    String m = loadError(base, rank);
    assertTrue(m.contains("rank mismatch") && m.contains("lora_") && m.contains("r = 8"), m);

    Path unknown = copyOfGolden("llava-clip-llama");
    Map<String, SafeTensors.Tensor> t =
        new LinkedHashMap<>(SafeTensors.read(unknown.resolve("adapter_model.safetensors")));
    t.put(key.replace("q_proj", "qq_proj"), t.remove(key));
    SafeTensors.write(unknown.resolve("adapter_model.safetensors"), t);
    m = loadError(base, unknown);
    assertTrue(m.contains("unknown target") && m.contains(key.replace("q_proj", "qq_proj")), m);

    Path notTargeted = copyOfGolden("llava-clip-llama");
    c = (ObjectNode) json(notTargeted.resolve("adapter_config.json"));
    c.putArray("target_modules").add("v_proj").add("down_proj").add("linear_1");
    JSON.writeValue(notTargeted.resolve("adapter_config.json").toFile(), c);
    m = loadError(base, notTargeted);
    assertTrue(m.contains("unknown target") && m.contains("q_proj.lora_"), m);

    // an adapter made for a wider base: its A takes 96 inputs where the base layer takes 64
    Path wider = copyOfGolden("llava-clip-llama");
    t = new LinkedHashMap<>(SafeTensors.read(wider.resolve("adapter_model.safetensors")));
    t.put(key, new SafeTensors.Tensor(new long[] {4, 96}, new float[4 * 96]));
    SafeTensors.write(wider.resolve("adapter_model.safetensors"), t);
    m = loadError(base, wider);
    assertTrue(m.contains("base mismatch") && m.contains(key) && m.contains("[4, 96]"), m);

    Path missingB = copyOfGolden("llava-clip-llama");
    t = new LinkedHashMap<>(SafeTensors.read(missingB.resolve("adapter_model.safetensors")));
    t.remove(key.replace("lora_A", "lora_B"));
    SafeTensors.write(missingB.resolve("adapter_model.safetensors"), t);
    m = loadError(base, missingB);
    assertTrue(m.contains(key) && m.contains("lora_B"), m);

    Path dora = copyOfGolden("llava-clip-llama");
    c = (ObjectNode) json(dora.resolve("adapter_config.json"));
    c.put("use_dora", true);
    JSON.writeValue(dora.resolve("adapter_config.json").toFile(), c);
    assertTrue(loadError(base, dora).contains("use_dora"));

    Path nowhere = copyOfGolden("llava-clip-llama");
    c = (ObjectNode) json(nowhere.resolve("adapter_config.json"));
    c.put("base_model_name_or_path", "no/such/model");
    JSON.writeValue(nowhere.resolve("adapter_config.json").toFile(), c);
    m = assertThrows(ModelFormatException.class, () -> LoadedVlm.load(nowhere, Device.cpu()))
        .getMessage();
    assertTrue(m.contains("no/such/model") && m.contains("adapter_config.json"), m);
  }

  @Test
  void targetsThatMatchNothingAreRefused() throws Exception {
    try (VlmModel model = VlmModel.load(HfGoldenCases.dir("llava-clip-llama"), Device.cpu())) {
      String m = assertThrows(InvalidInputException.class, () -> LoraAdapter.create(model,
          LoraConfig.builder().targetModules(List.of("q_proj", "fc1")).build(), KeyLayout.ORIGINAL,
          0)).getMessage();
      assertTrue(m.contains("fc1") && m.contains("language model"), m);
    }
  }
}
