package org.rlaifv.core.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;
import org.rlaifv.TrainingRequest;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.io.AtomicFiles;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.RunManifest;
import org.rlaifv.core.io.StageRecord;

/**
 * The loop's failure paths and run identity: roles in the identity, committed files verified on
 * resume, leftovers of interrupted writes removed, close never masking a failure, listeners
 * isolated, and provenance handed to the trainer.
 */
class LoopReliabilityTest {

  @TempDir Path tmp;

  /** A judge that says yes to everything, with an abstention threshold in its provenance. */
  record YesJudge(double abstainBelow) implements PolarJudge {
    @Override
    public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
      return questions.stream().map(q -> ClaimVerdict.of(q, 0.8, 0.1, abstainBelow)).toList();
    }

    @Override
    public Provenance provenance() {
      return Provenance.of(this).with("abstainBelow", abstainBelow);
    }
  }

  private static InvalidInputException refused(Runnable r) {
    return assertThrows(InvalidInputException.class, r::run);
  }

  @Test
  void anotherPairSelectorSeedIsRefusedNamingTheField() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(2);
    s.builder(1).runId("r").pairSelector(RlaifvPairSelector.builder().seed(1).build()).build()
        .run(prompts);
    int calls = s.failures.calls();
    InvalidInputException e = refused(() -> s.builder(2).runId("r")
        .pairSelector(RlaifvPairSelector.builder().seed(2).build()).build().run(prompts));
    assertTrue(e.getMessage().contains("roles.pairSelector.settings.seed"), e.getMessage());
    assertEquals(calls, s.failures.calls(), "refused before any role ran");
  }

  @Test
  void anotherLabelerSettingIsRefusedAlsoWithDefaultRunIds() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(2);
    s.builder(1).scorer(DivideAndConquerScorer.ruleBased(new YesJudge(0.1))).build().run(prompts);
    // The default run id is derived from the configuration, so it differs too.
    InvalidInputException e = refused(() -> s.builder(1)
        .scorer(DivideAndConquerScorer.ruleBased(new YesJudge(0.2))).build().run(prompts));
    assertTrue(e.getMessage().contains("holds run"), e.getMessage());
    assertTrue(e.getMessage().contains("roles.scorer.parts.judge.settings.abstainBelow"),
        e.getMessage());

    InvalidInputException seed = refused(() -> s.builder(1).seed(8)
        .scorer(DivideAndConquerScorer.ruleBased(new YesJudge(0.1))).build().run(prompts));
    assertTrue(seed.getMessage().contains("differs in: seed"), seed.getMessage());
  }

  @Test
  void theManifestRecordsTheRoles() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    s.builder(1).pairSelector(RlaifvPairSelector.builder().seed(3).maxPairsPerPrompt(1).build())
        .build().run(Fakes.prompts(2));
    RunManifest m = Json.read(s.runDir.resolve("manifest.json"), RunManifest.class);
    var roles = m.config().get("roles");
    assertEquals("3", roles.get("pairSelector").get("settings").get("seed").asText());
    assertEquals("1", roles.get("pairSelector").get("settings").get("maxPairsPerPrompt").asText());
    assertEquals("last", roles.get("checkpointSelector").get("name").asText());
    assertTrue(roles.get("trainer").get("name").asText().endsWith("Fakes$Trainer"));
    assertTrue(roles.get("scorer").get("settings").get("perPolicy").asBoolean());
  }

  @Test
  void anEditedFileOfAFinishedIterationIsRefusedOnResume() throws IOException {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(3);
    s.builder(1).build().run(prompts);
    Path pairs = s.runDir.resolve("iter-1/pairs.jsonl");
    assertTrue(Files.size(pairs) > 0);
    Files.write(pairs, "\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    int calls = s.failures.calls();
    InvalidInputException e = refused(() -> s.builder(2).build().run(prompts));
    assertTrue(e.getMessage().contains(pairs.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
    assertEquals(calls, s.failures.calls(), "refused before any role ran");
  }

  @Test
  void leftoversOfInterruptedWritesAreRemovedOnOpen() throws IOException {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(2);
    s.builder(1).build().run(prompts);
    Path manifestTmp = Files.writeString(s.runDir.resolve(".manifest.json.k3j2.tmp"), "{");
    Path refTmp = Files.writeString(s.runDir.resolve("iter-1/train/.ref_logps.json123.tmp"), "{");
    Path cpTmp = Files.createDirectories(s.runDir.resolve("iter-1/train/.checkpoint-2.x9.tmp"));
    Files.writeString(cpTmp.resolve("model.safetensors"), "half");
    Path keep = Files.writeString(s.runDir.resolve("notes.tmp"), "mine");
    s.builder(2).build().run(prompts);
    assertFalse(Files.exists(manifestTmp));
    assertFalse(Files.exists(refTmp));
    assertFalse(Files.exists(cpTmp));
    assertTrue(Files.exists(keep), "only temporary siblings of atomic writes are removed");
  }

  /** A scorer that fails to score and then fails to close. */
  static final class FailingScorer implements ResponseScorer {
    @Override
    public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
      throw new IllegalStateException("scoring failed");
    }

    @Override
    public void close() {
      throw new IllegalArgumentException("close failed too");
    }
  }

  @Test
  void aFailingCloseDoesNotHideTheScoringFailure() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.builder(1).scorer(p -> new FailingScorer()).build().run(Fakes.prompts(2)));
    assertEquals("scoring failed", e.getMessage());
    assertEquals(1, e.getSuppressed().length);
    assertEquals("close failed too", e.getSuppressed()[0].getMessage());
  }

  @Test
  void aThrowingListenerIsIgnoredAndFailuresAreReported() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<String> seen = new ArrayList<>();
    LoopResult r = s.builder(2).listener(new LoopListener() {
      @Override
      public void onStageStart(int iteration, Stage stage, int total) {
        throw new IllegalStateException("broken display");
      }
    }).listener(new LoopListener() {
      @Override
      public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
        seen.add(iteration + ":" + stage);
      }
    }).build().run(Fakes.prompts(2));
    assertEquals(2, r.iterations().size());
    assertEquals(10, seen.size(), "the listener after the broken one was called every time");

    AlignmentLoopTest.Setup f = new AlignmentLoopTest.Setup(tmp.resolve("f"), "run", 1);
    List<Object[]> failures = new ArrayList<>();
    f.failures.failAt(4); // sampler calls 1-2, scorer calls 3-4
    Fakes.Crash crash = assertThrows(Fakes.Crash.class, () -> f.builder(1)
        .listener(new LoopListener() {
          @Override
          public void onFailure(int iteration, Stage stage, Throwable error) {
            failures.add(new Object[] {iteration, stage, error});
          }
        }).build().run(Fakes.prompts(2)));
    assertEquals(1, failures.size());
    assertArrayEquals(new Object[] {1, Stage.SCORE}, new Object[] {failures.get(0)[0],
        failures.get(0)[1]});
    assertSame(crash, failures.get(0)[2]);
  }

  /** A scorer whose provenance names a model version. */
  static final class VersionedScorer implements ResponseScorer {
    final Fakes.Scorer inner;
    final String version;

    VersionedScorer(Fakes.Failures f, String version) {
      this.inner = new Fakes.Scorer(f);
      this.version = version;
    }

    @Override
    public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
      return inner.scoreAll(prompt, responses);
    }

    @Override
    public Provenance provenance() {
      return Provenance.of(this).with("model", version);
    }
  }

  @Test
  void aResumedScoreStageWithAnotherFactoryScorerIsRefused() throws IOException {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(3);
    s.failures.failAt(5); // sampler calls 1-3, scorer calls 4-6
    assertThrows(Fakes.Crash.class, () -> s.builder(1)
        .scorer(p -> new VersionedScorer(s.failures, "v1")).build().run(prompts));
    assertTrue(Files.readString(s.runDir.resolve("iter-1/scorer.json")).contains("v1"));
    s.failures.failAt(0);
    InvalidInputException e = refused(() -> s.builder(1)
        .scorer(p -> new VersionedScorer(s.failures, "v2")).build().run(prompts));
    assertTrue(e.getMessage().contains("scorer.json differs in: model"), e.getMessage());
    LoopResult r = s.builder(1).scorer(p -> new VersionedScorer(s.failures, "v1")).build()
        .run(prompts);
    assertEquals(1, r.iterations().size());
  }

  @Test
  void theTrainerIsToldWhichRunIterationAndPairsMadeTheCheckpoints() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    LoopResult r = s.builder(2).build().run(Fakes.prompts(4));
    RunManifest m = Json.read(s.runDir.resolve("manifest.json"), RunManifest.class);
    for (TrainingRequest req : s.trainer.requests) {
      Map<String, String> p = req.provenance();
      int k = Integer.parseInt(p.get("iteration"));
      StageRecord pairs = m.iterations().get(k - 1).stages().get("pair");
      assertEquals(r.runId(), p.get("runId"));
      assertEquals("iter-" + k + "/pairs.jsonl", p.get("pairs.file"));
      assertEquals(pairs.sha256(), p.get("pairs.sha256"));
      assertEquals(AtomicFiles.sha256(s.runDir.resolve("iter-" + k + "/pairs.jsonl")),
          p.get("pairs.sha256"));
      assertEquals(Integer.toString(req.pairs().size()), p.get("pairs.count"));
      assertEquals(Json.toJson(m.config().get("roles")), p.get("roles"));
      assertEquals(req.policy().id(), p.get("policy"));
    }
    assertEquals(2, s.trainer.requests.size());
  }
}
