package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.LoraConfig;
import org.rlaifv.LrSchedule;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.TrainingResult;
import org.rlaifv.djl.DjlAdapterMerger;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.LoraAdapter;
import org.rlaifv.djl.model.SafeTensors;

/**
 * DPO and SFT with LoRA adapters: only the adapters change (the base weights stay byte for byte),
 * the reference is the base with the adapters off, checkpoints are PEFT adapter directories that
 * load on their base and merge into a full model.
 */
class LoraTrainingTest {
  @BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  @TempDir Path dir;

  private static final LoraConfig LORA =
      LoraConfig.builder().rank(4).alpha(8).dropout(0.1).build();

  private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  @Test
  void dpoTrainsOnlyTheAdaptersAndWritesPeftCheckpoints() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 11);
    byte[] before = Files.readAllBytes(model.resolve("model.safetensors"));
    DpoConfig cfg = DpoConfig.builder().learningRate(1e-2).schedule(LrSchedule.CONSTANT)
        .warmupRatio(0).epochs(6).batchSize(2).checkpointsPerEpoch(1).seed(5).lora(LORA).build();
    Path out = dir.resolve("run");
    Checkpoint policy = Checkpoint.of(model);
    TrainingResult result = new DjlDpoTrainer(Device.cpu(), 3).train(new TrainingRequest(policy,
        policy, TrainFixtures.pairs(4), cfg, out, TrainingListener.NONE));

    List<TrainingMetrics> h = result.history();
    // the adapters start at B = 0 and the reference is the base: policy == reference at step 1
    assertEquals(Math.log(2), h.get(0).get("loss"), 1e-5);
    assertEquals(0.0, h.get(0).get("rewards/margins"), 1e-5);
    TrainingMetrics last = h.get(h.size() - 1);
    assertTrue(last.get("rewards/margins") > 0.2, "final " + last.values());
    assertEquals(1.0, last.get("rewards/accuracies"), 0.0);
    assertArrayEquals(before, Files.readAllBytes(model.resolve("model.safetensors")));

    // checkpoints are PEFT adapter directories on the policy directory
    assertEquals(6, result.checkpoints().size());
    for (Path c : List.of(out.resolve("checkpoint-0"), result.last().directory())) {
      assertTrue(LoraAdapter.isAdapterDirectory(c), c.toString());
      assertFalse(Files.exists(c.resolve("model.safetensors")));
      assertTrue(Files.isRegularFile(c.resolve(DjlDpoTrainer.PROVENANCE_FILE)));
      JsonNode ac = new ObjectMapper().readTree(c.resolve(LoraAdapter.CONFIG_FILE).toFile());
      assertEquals(model.toAbsolutePath().normalize().toString(),
          ac.get("base_model_name_or_path").asText());
      assertEquals(4, ac.get("r").asInt());
    }
    Map<String, SafeTensors.Tensor> start =
        SafeTensors.read(out.resolve("checkpoint-0").resolve(LoraAdapter.WEIGHTS_FILE));
    assertEquals(2 * 2 * 7, start.size(), "A and B of 7 projections in 2 layers");
    start.forEach((k, t) -> {
      if (k.endsWith("lora_B.weight")) {
        for (float x : t.data()) {
          assertEquals(0f, x, k);
        }
      }
    });

    // The adapter opens on its base; merged, only the adapted weights differ from the base.
    Path mergedDir = dir.resolve("merged");
    Checkpoint merged = new DjlAdapterMerger(Device.cpu()).merge(result.last(), mergedDir);
    assertEquals(mergedDir.toAbsolutePath().normalize(), merged.directory());
    assertTrue(Files.isRegularFile(mergedDir.resolve("model.safetensors")));
    Checkpoint full = Checkpoint.of(model);
    assertEquals(full, new DjlAdapterMerger(Device.cpu()).merge(full, dir.resolve("unused")));
    try (LoadedVlm base = LoadedVlm.load(model, Device.cpu());
        LoadedVlm adapted = LoadedVlm.load(result.last().directory(), Device.cpu());
        LoadedVlm reread = LoadedVlm.load(mergedDir, Device.cpu())) {
      int changed = 0;
      for (Map.Entry<String, NDArray> e : base.model().parameters().entrySet()) {
        float[] b = e.getValue().toFloatArray();
        float[] a = adapted.model().parameters().get(e.getKey()).toFloatArray();
        assertArrayEquals(a, reread.model().parameters().get(e.getKey()).toFloatArray(), e.getKey());
        boolean adaptedModule = e.getKey().matches(".*\\.(q|k|v|o|gate|up|down)_proj\\.weight");
        if (adaptedModule) {
          changed += java.util.Arrays.equals(a, b) ? 0 : 1;
        } else {
          assertArrayEquals(b, a, e.getKey() + " is not adapted and stays the base's");
        }
      }
      assertEquals(14, changed, "every adapted weight moved");
    }
  }

  @Test
  void sftWithAdaptersLeavesTheBaseBytesAlone() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 3)) {
      Map<String, float[]> base = snapshot(vlm.model().parameters());
      List<SftExample> examples = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        examples.add(new SftExample(TrainFixtures.solid(i % 4), TrainFixtures.PROMPT,
            "there is a " + TrainFixtures.COLOURS[i % 4] + " circle ."));
      }
      List<TrainingMetrics> h = new DjlSftTrainer().train(vlm, examples, SftConfig.builder()
          .steps(30).batchSize(4).learningRate(1e-2).logEvery(5).warmupRatio(0)
          .lora(LORA).build(), TrainingListener.NONE);
      assertTrue(h.get(h.size() - 1).get("loss") < 0.9 * h.get(0).get("loss"), h.toString());
      Map<String, float[]> after = snapshot(vlm.model().parameters());
      base.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " changed"));
      LoraAdapter lora = vlm.model().adapter().orElseThrow();
      assertTrue(lora.parameters().entrySet().stream()
          .filter(e -> e.getKey().endsWith("lora_B.weight"))
          .allMatch(e -> e.getValue().abs().sum().getFloat() > 0), "every B trained");
    }
  }
}
