package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.LrSchedule;
import org.rlaifv.PreferencePair;
import org.rlaifv.TrainingDivergedException;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.TrainingResult;
import org.rlaifv.djl.model.LoadedVlm;

class DjlDpoTrainerTest {
  @org.junit.jupiter.api.BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  @TempDir Path dir;

  @Test
  void dpoRaisesMarginsToFullAccuracyAndLeavesTheReferenceAlone() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 11);
    byte[] refBefore = Files.readAllBytes(model.resolve("model.safetensors"));
    List<PreferencePair> pairs = TrainFixtures.pairs(4);
    DpoConfig cfg =
        DpoConfig.builder()
            .learningRate(3e-3)
            .schedule(LrSchedule.CONSTANT)
            .warmupRatio(0)
            .epochs(12)
            .batchSize(2)
            .checkpointsPerEpoch(1)
            .seed(5)
            .build();
    List<Integer> liveArrays = new ArrayList<>();
    List<Checkpoint> announced = new ArrayList<>();
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onStep(TrainingMetrics m, long totalSteps) {
            assertEquals(24, totalSteps);
            liveArrays.add(liveArrays());
          }

          @Override
          public void onCheckpoint(Checkpoint c) {
            announced.add(c);
          }
        };
    Path out = dir.resolve("run");
    Checkpoint policy = Checkpoint.of(model);
    TrainingResult result =
        new DjlDpoTrainer(Device.cpu(), 3)
            .train(new TrainingRequest(policy, policy, pairs, cfg, out, listener));

    List<TrainingMetrics> h = result.history();
    assertEquals(24, h.size());
    TrainingMetrics first = h.get(0);
    TrainingMetrics last = h.get(h.size() - 1);
    // Policy == reference at step 1: every pair's sigmoid loss is ln 2 and the margins are 0.
    assertEquals(Math.log(2), first.get("loss"), 1e-5);
    assertEquals(0.0, first.get("rewards/margins"), 1e-5);
    assertTrue(last.get("rewards/margins") > 0.5, "final margin " + last.values());
    assertEquals(1.0, last.get("rewards/accuracies"), 0.0);
    assertTrue(last.get("loss") < 0.5 * Math.log(2), "final loss " + last.get("loss"));
    for (String k : List.of("rewards/chosen", "rewards/rejected", "logps/chosen", "logps/rejected",
        "grad_norm", "learning_rate")) {
      assertTrue(Double.isFinite(last.get(k)), k);
    }
    assertEquals(3e-3, last.get("learning_rate"), 1e-12);

    // The reference directory is byte-for-byte unchanged.
    assertArrayEquals(refBefore, Files.readAllBytes(model.resolve("model.safetensors")));

    // Checkpoints: one per epoch, announced, loadable; checkpoint-0 holds the starting weights.
    assertEquals(12, result.checkpoints().size());
    assertEquals(announced, result.checkpoints());
    assertEquals(out.resolve("checkpoint-24"), result.last().directory());
    assertEquals("run/checkpoint-24", result.last().id());
    try (LoadedVlm start = LoadedVlm.load(out.resolve("checkpoint-0"), Device.cpu());
        LoadedVlm orig = LoadedVlm.load(model, Device.cpu());
        LoadedVlm end = LoadedVlm.load(result.last().directory(), Device.cpu())) {
      for (Map.Entry<String, ai.djl.ndarray.NDArray> e : orig.model().parameters().entrySet()) {
        assertArrayEquals(e.getValue().toFloatArray(),
            start.model().parameters().get(e.getKey()).toFloatArray(), e.getKey());
      }
      assertFalse(java.util.Arrays.equals(
          orig.model().parameters().get("language_model.lm_head.weight").toFloatArray(),
          end.model().parameters().get("language_model.lm_head.weight").toFloatArray()));
    }

    // Report: one line per step and per epoch.
    assertEquals(24 + 12, Files.readAllLines(out.resolve(TrainingReport.FILE_NAME)).size());
    assertTrue(Files.isRegularFile(out.resolve(ReferenceLogps.FILE_NAME)));

    // Native memory is bounded: the same number of live arrays after every step.
    assertEquals(liveArrays.get(1), liveArrays.get(liveArrays.size() - 1), "live arrays " + liveArrays);
    try (var s = Files.list(out)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temp dirs");
    }
  }

  /** All live arrays of the engine: the system manager's tree. */
  static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  @Test
  void rerunReusesCachedReferenceLogps() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 3);
    Path refCopy = TrainFixtures.saveModel(dir, "reference", 3);
    List<PreferencePair> pairs = TrainFixtures.pairs(2);
    DpoConfig cfg = DpoConfig.builder().epochs(1).batchSize(2).build();
    Path out = dir.resolve("run");
    Checkpoint ref = new Checkpoint("ref-a", refCopy);
    DjlDpoTrainer trainer = new DjlDpoTrainer(Device.cpu(), 8);
    TrainingResult one =
        trainer.train(new TrainingRequest(Checkpoint.of(model), ref, pairs, cfg, out, TrainingListener.NONE));
    // Remove the reference model: a second run must not need it.
    org.rlaifv.core.io.AtomicFiles.deleteRecursively(refCopy);
    TrainingResult two =
        trainer.train(new TrainingRequest(Checkpoint.of(model), ref, pairs, cfg, out, TrainingListener.NONE));
    assertEquals(one.history().get(0).get("loss"), two.history().get(0).get("loss"), 1e-6);
    assertEquals(4, ReferenceLogps.read(out.resolve(ReferenceLogps.FILE_NAME), "ref-a").size());
  }

  @Test
  void everyCheckpointSaysWhichRunIterationAndPairsMadeIt() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 3);
    List<PreferencePair> pairs = TrainFixtures.pairs(2);
    DpoConfig cfg = DpoConfig.builder().epochs(1).batchSize(2).checkpointsPerEpoch(1).build();
    Map<String, String> provenance = Map.of("runId", "run-7", "iteration", "2",
        "pairs.sha256", "ab".repeat(32));
    TrainingResult r = new DjlDpoTrainer(Device.cpu(), 8).train(new TrainingRequest(
        Checkpoint.of(model), Checkpoint.of(model), pairs, cfg, dir.resolve("run"),
        TrainingListener.NONE, provenance));
    for (Checkpoint c : r.checkpoints()) {
      var p = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(c.directory().resolve(DjlDpoTrainer.PROVENANCE_FILE).toFile());
      assertEquals(c.directory().getFileName().toString(), p.get("checkpoint").asText());
      assertEquals("run-7", p.get("request").get("runId").asText());
      assertEquals("2", p.get("request").get("iteration").asText());
      assertEquals("ab".repeat(32), p.get("request").get("pairs.sha256").asText());
      assertEquals(2, p.get("pairs").asInt());
      assertEquals(cfg.epochs(), p.get("dpoConfig").get("epochs").asInt());
    }
    assertTrue(Files.exists(dir.resolve("run/checkpoint-0").resolve(DjlDpoTrainer.PROVENANCE_FILE)));
    try (var s = Files.list(dir.resolve("run"))) {
      assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no leftovers");
    }
  }

  @Test
  void absurdLearningRateRaisesDivergenceAndKeepsTheLastGoodCheckpoint() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 5);
    DpoConfig cfg =
        DpoConfig.builder()
            .learningRate(1e30)
            .schedule(LrSchedule.CONSTANT)
            .warmupRatio(0)
            .maxGradNorm(0)
            .epochs(1)
            .batchSize(1)
            .build();
    Path out = dir.resolve("run");
    Checkpoint policy = Checkpoint.of(model);
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                new DjlDpoTrainer(Device.cpu(), 4)
                    .train(new TrainingRequest(policy, policy, TrainFixtures.pairs(4), cfg, out,
                        TrainingListener.NONE)));
    assertEquals(2, e.step(), e.getMessage());
    assertTrue(e.getMessage().contains("step 2"), e.getMessage());
    Path good = e.lastGoodCheckpoint().orElseThrow();
    assertEquals(out.resolve("checkpoint-0"), good);
    try (LoadedVlm back = LoadedVlm.load(good, Device.cpu())) {
      assertTrue(Gradients.allFinite(back.model().parameters().values()));
    }
    try (var s = Files.list(out)) {
      assertEquals(List.of("checkpoint-0"),
          s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint")).toList());
    }
  }

  @Test
  void accumulatingTwoMicroBatchesEqualsOneBatchOfTwo() throws Exception {
    Path model = TrainFixtures.saveModel(dir, "policy", 9);
    Checkpoint policy = Checkpoint.of(model);
    List<PreferencePair> pairs = TrainFixtures.pairs(2);
    DpoConfig.Builder base =
        DpoConfig.builder().learningRate(1e-2).schedule(LrSchedule.CONSTANT).warmupRatio(0)
            .epochs(2).seed(4).nllWeight(0.5);
    DjlDpoTrainer trainer = new DjlDpoTrainer(Device.cpu(), 4);
    TrainingResult whole = trainer.train(new TrainingRequest(policy, policy, pairs,
        base.batchSize(2).gradAccumulationSteps(1).build(), dir.resolve("a"), TrainingListener.NONE));
    TrainingResult split = trainer.train(new TrainingRequest(policy, policy, pairs,
        base.batchSize(1).gradAccumulationSteps(2).build(), dir.resolve("b"), TrainingListener.NONE));
    assertEquals(2, whole.history().size());
    assertEquals(2, split.history().size());
    for (int i = 0; i < 2; i++) {
      TrainingMetrics a = whole.history().get(i);
      TrainingMetrics b = split.history().get(i);
      for (String k : List.of("loss", "nll_loss", "rewards/margins", "grad_norm")) {
        assertEquals(a.get(k), b.get(k), 1e-4 * Math.max(1, Math.abs(a.get(k))), k + " at step " + (i + 1));
      }
    }
    try (LoadedVlm a = LoadedVlm.load(whole.last().directory(), Device.cpu());
        LoadedVlm b = LoadedVlm.load(split.last().directory(), Device.cpu())) {
      for (var e : a.model().parameters().entrySet()) {
        float[] x = e.getValue().toFloatArray();
        float[] y = b.model().parameters().get(e.getKey()).toFloatArray();
        for (int j = 0; j < x.length; j++) {
          assertEquals(x[j], y[j], 1e-4, e.getKey());
        }
      }
    }
  }

  @Test
  void everyLossTypeTrainsWithLengthAveragingAndNll() {
    Path model = TrainFixtures.saveModel(dir, "policy", 2);
    Checkpoint policy = Checkpoint.of(model);
    for (org.rlaifv.DpoLossType type : org.rlaifv.DpoLossType.values()) {
      DpoConfig cfg = DpoConfig.builder().lossType(type).labelSmoothing(0.1).lengthAveraged(true)
          .nllWeight(1.0).learningRate(1e-3).epochs(1).batchSize(2).build();
      TrainingResult r = new DjlDpoTrainer(Device.cpu(), 4).train(new TrainingRequest(policy, policy,
          TrainFixtures.pairs(4), cfg, dir.resolve(type.name()), TrainingListener.NONE));
      TrainingMetrics first = r.history().get(0);
      // Length-averaged log-probs: a random model's per-token log-prob is about -ln(vocab).
      assertTrue(first.get("logps/chosen") > -6 && first.get("logps/chosen") < -1, type + " " + first);
      // At step 1 the policy equals the reference, so the DPO part is its value at h = 0.
      double nll = first.get("nll_loss");
      double atZero = switch (type) {
        case SIGMOID, LABEL_SMOOTHED, ROBUST -> Math.log(2);
        case IPO -> Math.pow(1 / (2 * 0.1), 2);
        case HINGE -> 1.0;
      };
      assertEquals(atZero + nll, first.get("loss"), 1e-4, type.name());
    }
  }
}
