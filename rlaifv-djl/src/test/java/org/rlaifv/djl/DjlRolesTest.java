package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import org.rlaifv.spi.Capability;

class DjlRolesTest {
  @TempDir static Path dir;
  static LoadedVlm vlm;

  @BeforeAll
  static void open() {
    vlm = TinyVlms.create(dir, 21);
  }

  @AfterAll
  static void close() {
    vlm.close();
  }

  static List<PolarQuestion> questions(String... qs) {
    return java.util.Arrays.stream(qs).map(q -> new PolarQuestion(new Claim(q), q)).toList();
  }

  @Test
  void prefixCachedJudgeMatchesPerQuestionFromScratch() {
    List<PolarQuestion> qs =
        questions("is there a red circle ?", "is there a blue square on the top left ?",
            "Is there a cross ?", "is there a yellow triangle on the bottom right of the image ?",
            "is there a green circle and a red square ?");
    try (DjlPolarJudge judge = new DjlPolarJudge(vlm, BackendOptions.defaults().withBatchSize(3), false)) {
      for (long seed = 0; seed < 3; seed++) {
        Image img = TinyVlms.image(100 + seed, 12 + 4 * (int) seed);
        List<ClaimVerdict> cached = judge.judge(img, qs);
        List<ClaimVerdict> naive = judge.judgeEachFromScratch(img, qs);
        assertEquals(qs.size(), cached.size());
        for (int i = 0; i < qs.size(); i++) {
          assertEquals(naive.get(i).pYes(), cached.get(i).pYes(), 1e-5, "pYes of " + i);
          assertEquals(naive.get(i).pNo(), cached.get(i).pNo(), 1e-5, "pNo of " + i);
          assertEquals(qs.get(i), cached.get(i).question());
          assertTrue(cached.get(i).pYes() > 0 && cached.get(i).pNo() > 0);
        }
        // a question judged alone gets the same answer as in the batch
        List<ClaimVerdict> alone = judge.judge(img, qs.subList(1, 2));
        assertEquals(cached.get(1).pYes(), alone.get(0).pYes(), 1e-5);
      }
      assertEquals(List.of(), judge.judge(TinyVlms.image(1, 16), List.of()));
    }
  }

  @Test
  void judgeAbstainsUnderTheThreshold() {
    List<PolarQuestion> qs = questions("is there a red circle ?");
    try (DjlPolarJudge strict = new DjlPolarJudge(vlm, BackendOptions.defaults().withAbstainBelow(1.0), false);
        DjlPolarJudge lax = new DjlPolarJudge(vlm, BackendOptions.defaults().withAbstainBelow(0.0), false)) {
      Image img = TinyVlms.image(3, 16);
      assertTrue(strict.judge(img, qs).get(0).abstained());
      assertTrue(!lax.judge(img, qs).get(0).abstained());
    }
  }

  @Test
  void sameSeedSameSampleDifferentSeedsDiffer() {
    Prompt p = new Prompt("p1", TinyVlms.image(7, 16), "describe the image .");
    SamplingParams params = SamplingParams.builder().n(6).temperature(1.0).maxNewTokens(12).baseSeed(42).build();
    try (DjlResponseSampler s = new DjlResponseSampler(vlm, BackendOptions.defaults(), false)) {
      List<Response> a = s.sample(p, params);
      List<Response> b = s.sample(p, params);
      assertEquals(a, b);
      Set<String> texts = new HashSet<>();
      for (int i = 0; i < a.size(); i++) {
        assertEquals(i, a.get(i).index());
        assertEquals(params.seedFor(i), a.get(i).seed());
        texts.add(a.get(i).text());
      }
      assertTrue(texts.size() >= 4, "expected distinct samples, got " + texts);
      // each seed reproduces alone (batch of one) and in the naive path
      List<Response> naive = s.sampleWithoutSharing(p, params);
      assertEquals(a, naive);
      List<Response> first = s.sample(p, params.toBuilder().n(1).build());
      assertEquals(a.get(0), first.get(0));
      // different base seed, different samples
      List<Response> c = s.sample(p, params.toBuilder().baseSeed(43).build());
      assertNotEquals(a, c);
    }
  }

  @Test
  void batchedPromptsGiveTheSameSamplesAsOnePromptAtATime() {
    List<Prompt> prompts = List.of(
        new Prompt("a", TinyVlms.image(11, 16), "describe the image ."),
        new Prompt("b", TinyVlms.image(12, 16), "is there a red circle on the top left of the image ?"),
        new Prompt("c", TinyVlms.image(13, 16), "describe ."));
    SamplingParams params = SamplingParams.builder().n(3).temperature(1.0).maxNewTokens(8).baseSeed(9).build();
    try (DjlResponseSampler s = new DjlResponseSampler(vlm, BackendOptions.defaults(), false)) {
      List<List<Response>> all = s.sampleAll(prompts, params);
      assertEquals(3, all.size());
      for (int i = 0; i < prompts.size(); i++) {
        assertEquals(s.sample(prompts.get(i), params), all.get(i), "prompt " + i);
        assertEquals(prompts.get(i).id(), all.get(i).get(0).promptId());
      }
    }
  }

  @Test
  void stopSequencesAndGreedy() {
    Prompt p = new Prompt("p2", TinyVlms.image(8, 16), "describe the image .");
    try (DjlResponseSampler s = new DjlResponseSampler(vlm, BackendOptions.defaults().withBatchSize(2), false)) {
      SamplingParams greedy = SamplingParams.builder().n(3).temperature(0).maxNewTokens(10).build();
      List<Response> g = s.sample(p, greedy);
      assertEquals(g.get(0).text(), g.get(1).text());
      assertEquals(g.get(0).text(), g.get(2).text());
      SamplingParams filtered = SamplingParams.builder().n(5).temperature(1.0).topK(3).topP(0.9)
          .maxNewTokens(20).stopSequences(List.of(".")).baseSeed(5).build();
      for (Response r : s.sample(p, filtered)) {
        assertTrue(!r.text().contains("."), r.text());
        assertTrue(r.tokenCount() <= 20);
      }
    }
  }

  @Test
  void nativeMemoryDoesNotGrowOverManyCalls() {
    Prompt p = new Prompt("p3", TinyVlms.image(9, 16), "describe the image .");
    SamplingParams params = SamplingParams.builder().n(4).temperature(1.0).maxNewTokens(6).build();
    List<PolarQuestion> qs = questions("is there a red circle ?", "is there a cross on the left ?");
    BaseNDManager base = (BaseNDManager) vlm.model().manager();
    try (DjlResponseSampler s = new DjlResponseSampler(vlm, BackendOptions.defaults(), false);
        DjlPolarJudge j = new DjlPolarJudge(vlm, BackendOptions.defaults(), false)) {
      s.sample(p, params);
      j.judge(p.image(), qs);
      int before = base.getManagedArrays().size();
      for (int i = 0; i < 30; i++) {
        s.sample(p, params.toBuilder().baseSeed(i).build());
        j.judge(p.image(), qs);
        j.judgeEachFromScratch(p.image(), qs);
      }
      assertEquals(before, base.getManagedArrays().size());
      assertEquals(vlm.model().parameters().size(), before);
    }
  }

  @Test
  void providerIsRegisteredAndOpensCheckpoints() {
    BackendProvider djl = Backends.get("djl");
    assertTrue(djl instanceof DjlBackendProvider);
    assertTrue(djl.capabilities().containsAll(
        Set.of(Capability.SAMPLING, Capability.JUDGING, Capability.KV_CACHE, Capability.TRAINING)));
    Path saved = dir.resolve("ckpt");
    vlm.save(saved);
    Checkpoint ckpt = Checkpoint.of(saved);
    Prompt p = new Prompt("p4", TinyVlms.image(10, 16), "describe the image .");
    SamplingParams params = SamplingParams.builder().n(2).maxNewTokens(5).build();
    try (ResponseSampler s = djl.newSampler(ckpt, BackendOptions.defaults());
        PolarJudge j = djl.newJudge(ckpt, BackendOptions.defaults().withDevice("auto"))) {
      try (DjlResponseSampler mine = new DjlResponseSampler(vlm, BackendOptions.defaults(), false)) {
        assertEquals(mine.sample(p, params), s.sample(p, params));
      }
      assertEquals(1, j.judge(p.image(), questions("is there a red circle ?")).size());
    }
    assertTrue(djl.newDpoTrainer(BackendOptions.defaults())
        instanceof org.rlaifv.djl.train.DjlDpoTrainer);
    if (Devices.gpuCount() == 0) {
      assertTrue(!djl.hasCapability(Capability.CUDA));
      BackendException e = assertThrows(BackendException.class,
          () -> djl.newSampler(ckpt, BackendOptions.defaults().withDevice("cuda")));
      assertTrue(e.getMessage().contains("cuda"), e.getMessage());
    }
  }
}
