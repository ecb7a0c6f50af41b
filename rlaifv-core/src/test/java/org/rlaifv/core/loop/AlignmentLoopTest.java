package org.rlaifv.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.core.io.PairExport;
import org.rlaifv.core.io.PairRecord;
import org.rlaifv.core.io.RunDirectory;
import org.rlaifv.core.io.RunManifest;
import org.rlaifv.core.io.Json;

class AlignmentLoopTest {

  @TempDir Path tmp;

  static final class Setup {
    final Fakes.Failures failures = new Fakes.Failures(0);
    final List<Fakes.Sampler> opened = new ArrayList<>();
    final List<Fakes.Sampler> closed = new ArrayList<>();
    final List<Checkpoint> scorerPolicies = new ArrayList<>();
    final Fakes.Trainer trainer;
    final Checkpoint initial;
    final Path runDir;
    final List<String> events = new ArrayList<>();
    final List<TrainingMetrics> steps = new ArrayList<>();

    Setup(Path base, String name, int checkpoints) {
      initial = Fakes.initialPolicy(base);
      runDir = base.resolve(name);
      trainer = new Fakes.Trainer(failures, checkpoints);
    }

    AlignmentLoop.Builder builder(int iterations) {
      return AlignmentLoop.builder()
          .initialPolicy(initial)
          .sampler(p -> {
            Fakes.Sampler s = new Fakes.Sampler(p, failures, closed);
            opened.add(s);
            return s;
          })
          .scorer(p -> {
            scorerPolicies.add(p);
            return new Fakes.Scorer(failures);
          })
          .pairSelector(new Fakes.BestWorstSelector())
          .trainer(trainer)
          .samplingParams(SamplingParams.builder().n(4).maxNewTokens(16).build())
          .iterations(iterations)
          .seed(7)
          .runDirectory(runDir)
          .listener(new LoopListener() {
            @Override
            public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
              events.add(iteration + ":" + stage + (summary.resumed() ? ":resumed" : ""));
            }

            @Override
            public void onTrainingStep(int iteration, TrainingMetrics metrics, long totalSteps) {
              steps.add(metrics);
            }
          });
    }
  }

  @Test
  void runsIterationsAndWiresPolicyAndReference() throws IOException {
    Setup s = new Setup(tmp, "run", 2);
    List<Prompt> prompts = Fakes.prompts(6);
    LoopResult result = s.builder(3).build().run(prompts);

    assertEquals(3, result.iterations().size());
    assertEquals(3, s.trainer.requests.size(), "every iteration had pairs and trained");
    Checkpoint expectedPolicy = s.initial;
    for (int k = 0; k < 3; k++) {
      TrainingRequest req = s.trainer.requests.get(k);
      IterationSummary sum = result.iterations().get(k);
      assertEquals(expectedPolicy.id(), req.policy().id(), "policy of iteration " + (k + 1));
      assertEquals(req.policy(), req.reference(), "reference = policy that started the iteration");
      assertEquals(expectedPolicy.id(), s.opened.get(k).policy.id(), "sampler opened on policy");
      assertEquals(expectedPolicy.id(), s.scorerPolicies.get(k).id(), "scorer given the policy");
      assertEquals(s.runDir.toAbsolutePath().resolve("iter-" + (k + 1)).resolve("train"),
          req.outputDirectory());
      assertEquals(sum.pairs(), req.pairs().size());
      assertEquals(24, sum.responses());
      // CheckpointSelector.last(): the second checkpoint, counter k+1.
      assertEquals("policy-" + (k + 1) + "-c2", sum.selected().id());
      assertEquals(k + 1, Fakes.counter(sum.selected()));
      expectedPolicy = sum.selected();
    }
    assertEquals(expectedPolicy, result.finalPolicy());
    assertEquals(s.opened, s.closed, "every sampler closed");
    assertEquals(6, s.steps.size(), "training steps forwarded to the listener");
    assertEquals(List.of("1:SAMPLE", "1:SCORE", "1:PAIR", "1:TRAIN", "1:SELECT"),
        s.events.subList(0, 5));

    RunManifest m = Json.read(s.runDir.resolve(RunDirectory.MANIFEST), RunManifest.class);
    assertEquals(3, m.iterationsFinished());
    assertEquals(result.runId(), m.runId());
    assertFalse(m.config().get("dpoConfig").has("lora"),
        "full-parameter training keeps the run identity it had before adapters");
    for (String f : List.of("responses.jsonl", "scores.jsonl", "pairs.jsonl", "training.jsonl",
        "selected.json")) {
      assertTrue(Files.exists(s.runDir.resolve("iter-2").resolve(f)), f);
    }
    // No partial file survives a finished stage.
    try (Stream<Path> files = Files.walk(s.runDir)) {
      assertFalse(files.anyMatch(p -> p.toString().contains(".partial.")));
    }
  }

  @Test
  void iterationsUseDifferentSeedsAndRerunsAreIdentical() throws IOException {
    List<Prompt> prompts = Fakes.prompts(3);
    Setup a = new Setup(tmp.resolve("a"), "run", 1);
    Setup b = new Setup(tmp.resolve("b"), "run", 1);
    a.builder(2).build().run(prompts);
    b.builder(2).build().run(prompts);
    assertEquals(snapshot(a.runDir), snapshot(b.runDir));
    String r1 = Files.readString(a.runDir.resolve("iter-1/responses.jsonl"));
    String r2 = Files.readString(a.runDir.resolve("iter-2/responses.jsonl"));
    assertFalse(r1.equals(r2));
    List<PairRecord> recs = PairExport.readRunRecords(a.runDir.resolve("iter-2/pairs.jsonl"));
    assertFalse(recs.isEmpty());
    for (PairRecord r : recs) {
      assertEquals(2, r.provenance().iteration());
      assertEquals("policy-1-c1", r.provenance().policyId());
      assertEquals(7, r.provenance().runSeed());
      assertTrue(r.provenance().runId().startsWith("run-"));
    }
  }

  @Test
  void duplicatePromptIdsAreRejectedByName() {
    Setup s = new Setup(tmp, "run", 1);
    List<Prompt> prompts = new ArrayList<>(Fakes.prompts(3));
    Prompt dup = new Prompt("p1", prompts.get(0).image(), "another text");
    prompts.add(dup);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).build().run(prompts));
    assertTrue(e.getMessage().contains("'p1'"), e.getMessage());
    assertFalse(Files.exists(s.runDir), "nothing written before validation");
  }

  @Test
  void zeroPairIterationSkipsTrainingAndKeepsPolicy() {
    Setup s = new Setup(tmp, "run", 1);
    LoopResult r = s.builder(2)
        .pairSelector(groups -> List.of())
        .build()
        .run(Fakes.prompts(3));
    assertTrue(s.trainer.requests.isEmpty());
    for (IterationSummary sum : r.iterations()) {
      assertTrue(sum.trainingSkipped());
      assertEquals(0, sum.pairs());
      assertEquals(s.initial, sum.selected());
    }
    assertEquals(s.initial, r.finalPolicy());
    RunManifest m = Json.read(s.runDir.resolve(RunDirectory.MANIFEST), RunManifest.class);
    assertTrue(m.iterations().get(0).trainingSkipped());
    assertEquals(0, m.iterations().get(0).stages().get("train").count());
  }

  @Test
  void unscoredResponsesGiveNaNMeanThatSurvivesTheManifest() {
    Setup s = new Setup(tmp, "run", 1);
    AlignmentLoop loop = s.builder(1)
        .scorer((prompt, responses) -> responses.stream()
            .map(r -> new org.rlaifv.ScoredResponse(r, List.of())).toList())
        .build();
    LoopResult first = loop.run(Fakes.prompts(2));
    assertTrue(Double.isNaN(first.iterations().get(0).meanScore()));
    LoopResult again = loop.run(Fakes.prompts(2));
    assertTrue(Double.isNaN(again.iterations().get(0).meanScore()));
    assertEquals(0, again.iterations().get(0).scored());
  }

  @Test
  void aFinishedRunIsNotRedoneAndCanBeExtended() throws IOException {
    Setup s = new Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(3);
    LoopResult first = s.builder(2).build().run(prompts);
    int calls = s.failures.calls();
    LoopResult second = s.builder(2).build().run(prompts);
    assertEquals(calls, s.failures.calls(), "no role called again");
    assertEquals(first.finalPolicy(), second.finalPolicy());
    assertEquals(first.iterations().get(1).pairs(), second.iterations().get(1).pairs());
    LoopResult third = s.builder(3).build().run(prompts);
    assertEquals(3, third.iterations().size());
    assertEquals(3, Fakes.counter(third.finalPolicy()));
    assertEquals(first.iterations().get(1).selected(), s.trainer.requests.get(2).reference());
  }

  @Test
  void anotherConfigurationInTheSameDirectoryIsRefused() {
    Setup s = new Setup(tmp, "run", 1);
    List<Prompt> prompts = Fakes.prompts(2);
    s.builder(1).build().run(prompts);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).runId(null).seed(8).build().run(prompts));
    assertTrue(e.getMessage().contains("holds run"), e.getMessage());
    InvalidInputException e2 = assertThrows(InvalidInputException.class,
        () -> s.builder(1).runId(Json.read(s.runDir.resolve("manifest.json"), RunManifest.class)
            .runId()).seed(8).build().run(prompts));
    assertTrue(e2.getMessage().contains("seed"), e2.getMessage());
  }

  @Test
  void truncatedPartialLineIsDroppedAndTheRunCompletesIdentically() throws IOException {
    List<Prompt> prompts = Fakes.prompts(5);
    Setup ref = new Setup(tmp.resolve("ref"), "run", 2);
    ref.builder(2).build().run(prompts);

    Setup s = new Setup(tmp.resolve("crash"), "run", 2);
    // Sampler calls 1-5, scorer calls 6-10: crash on the third scorer call.
    s.failures.failAt(8);
    assertThrows(Fakes.Crash.class, () -> s.builder(2).build().run(prompts));
    Path partial = s.runDir.resolve("iter-1/scores.partial.jsonl");
    assertEquals(2, Files.readAllLines(partial).size());
    // A crash in the middle of a write leaves half a line.
    Files.write(partial, "{\"promptId\":\"p2\",\"scored\":[{\"resp".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    s.failures.failAt(0);
    int openedBefore = s.opened.size();
    s.builder(2).build().run(prompts);
    assertEquals(snapshot(ref.runDir), snapshot(s.runDir));
    assertEquals(openedBefore + 1, s.opened.size(), "iteration 1 sampling was not redone");
    // Iteration 1: the 3 unscored prompts and training; iteration 2: 5 samples, 5 scores, training.
    assertEquals(3 + 1 + (5 + 5 + 1), s.failures.calls(), "only unfinished work was redone");
  }

  @Test
  void responsesFromAnotherPromptAreRejected() {
    Setup s = new Setup(tmp, "run", 1);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.builder(1)
        .sampler(p -> (prompt, params) -> new Fakes.Sampler(p, s.failures, s.closed)
            .sample(new Prompt("other", prompt.image(), "x"), params))
        .build().run(Fakes.prompts(2)));
    assertTrue(e.getMessage().contains("p0"), e.getMessage());
  }

  @Test
  void checkpointSelectorPicksTheNextPolicy() {
    Setup s = new Setup(tmp, "run", 3);
    List<Integer> iterationsAsked = new ArrayList<>();
    LoopResult r = s.builder(2)
        .checkpointSelector((iteration, candidates) -> {
          iterationsAsked.add(iteration);
          assertEquals(3, candidates.size());
          return candidates.get(0);
        })
        .build().run(Fakes.prompts(3));
    assertEquals(List.of(1, 2), iterationsAsked);
    assertEquals("policy-1-c1", r.iterations().get(0).selected().id());
    assertEquals(r.iterations().get(0).selected(), s.trainer.requests.get(1).reference());

    Setup bad = new Setup(tmp.resolve("bad"), "run", 1);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> bad.builder(1)
        .checkpointSelector((iteration, candidates) -> bad.initial)
        .build().run(Fakes.prompts(3)));
    assertTrue(e.getMessage().contains("sft"), e.getMessage());
  }

  @Test
  void anAdapterMergerTurnsTheSelectedCheckpointIntoTheNextPolicy() throws IOException {
    Setup s = new Setup(tmp, "run", 2);
    List<Checkpoint> merged = new ArrayList<>();
    AdapterMerger merger = (selected, out) -> {
      try {
        Files.createDirectories(out);
        Files.copy(selected.directory().resolve("counter"), out.resolve("counter"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      merged.add(selected);
      return new Checkpoint(selected.id() + "-merged", out);
    };
    LoopResult r = s.builder(2).adapterMerger(merger).build().run(Fakes.prompts(4));
    assertEquals(2, merged.size());
    assertEquals("policy-1-c2", merged.get(0).id());
    Checkpoint first = r.iterations().get(0).selected();
    assertEquals("policy-1-c2-merged", first.id());
    assertEquals(s.runDir.toAbsolutePath().resolve("iter-1").resolve("merged"),
        first.directory().toAbsolutePath());
    assertEquals(first, s.trainer.requests.get(1).policy(), "iteration 2 trains the merged policy");
    assertEquals(first, s.trainer.requests.get(1).reference(), "and uses it as the reference");
    assertEquals(first.id(), s.opened.get(1).policy.id(), "and samples from it");
    assertEquals("policy-2-c2-merged", r.finalPolicy().id());

    // A rerun of the finished run reads the merged policies back without merging again.
    LoopResult again = s.builder(2).adapterMerger(merger).build().run(Fakes.prompts(4));
    assertEquals(2, merged.size());
    assertEquals(r.finalPolicy().directory().toAbsolutePath(),
        again.finalPolicy().directory().toAbsolutePath());
  }

  /** A scorer that records whether it was closed. */
  static final class ClosableScorer implements org.rlaifv.ResponseScorer, AutoCloseable {
    final Fakes.Scorer inner;
    boolean closed;

    ClosableScorer(Fakes.Failures f) {
      inner = new Fakes.Scorer(f);
    }

    @Override
    public List<org.rlaifv.ScoredResponse> scoreAll(Prompt prompt,
        List<org.rlaifv.Response> responses) {
      return inner.scoreAll(prompt, responses);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void factoryScorersAreClosedAndAFixedScorerIsNot() {
    Setup s = new Setup(tmp, "run", 1);
    List<ClosableScorer> made = new ArrayList<>();
    s.builder(2).scorer(p -> {
      ClosableScorer c = new ClosableScorer(s.failures);
      made.add(c);
      return c;
    }).build().run(Fakes.prompts(2));
    assertEquals(2, made.size());
    assertTrue(made.stream().allMatch(c -> c.closed));

    Setup f = new Setup(tmp.resolve("fixed"), "run", 1);
    ClosableScorer fixed = new ClosableScorer(f.failures);
    f.builder(2).scorer(fixed).build().run(Fakes.prompts(2));
    assertFalse(fixed.closed);
  }

  @Test
  void otherPromptsInTheSameRunDirectoryAreRefused() {
    Setup s = new Setup(tmp, "run", 1);
    s.builder(1).runId("fixed-id").build().run(Fakes.prompts(2));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).runId("fixed-id").build().run(Fakes.prompts(3)));
    assertTrue(e.getMessage().contains("prompts"), e.getMessage());
  }

  @Test
  void interruptingTheThreadStopsTheRunResumably() throws IOException {
    List<Prompt> prompts = Fakes.prompts(4);
    Setup ref = new Setup(tmp.resolve("ref"), "run", 1);
    ref.builder(1).build().run(prompts);
    Setup s = new Setup(tmp.resolve("int"), "run", 1);
    org.rlaifv.RlaifvException e = assertThrows(org.rlaifv.RlaifvException.class, () -> s.builder(1)
        .listener(new LoopListener() {
          @Override
          public void onStageProgress(int iteration, Stage stage, int done, int total) {
            if (stage == Stage.SCORE && done == 2) {
              Thread.currentThread().interrupt();
            }
          }
        }).build().run(prompts));
    assertTrue(Thread.interrupted(), "interrupt flag kept (and cleared here)");
    assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    assertEquals(2, Files.readAllLines(s.runDir.resolve("iter-1/scores.partial.jsonl")).size());
    s.builder(1).build().run(prompts);
    assertEquals(snapshot(ref.runDir), snapshot(s.runDir));
  }

  @Test
  void builderNamesMissingSettings() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> AlignmentLoop.builder().build());
    assertTrue(e.getMessage().contains("initialPolicy"), e.getMessage());
    Setup s = new Setup(tmp, "run", 1);
    InvalidInputException e2 = assertThrows(InvalidInputException.class,
        () -> s.builder(1).runDirectory(null).build());
    assertTrue(e2.getMessage().contains("runDirectory"), e2.getMessage());
  }

  /** Every file of a run directory except the manifest (it holds times), by relative path. */
  static Map<String, String> snapshot(Path runDir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String rel = runDir.relativize(p).toString();
        if (!rel.equals(RunDirectory.MANIFEST)) {
          out.put(rel, Files.readString(p));
        }
      }
    }
    return out;
  }
}
