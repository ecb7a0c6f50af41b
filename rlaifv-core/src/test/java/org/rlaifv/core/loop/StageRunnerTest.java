package org.rlaifv.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;
import org.rlaifv.core.io.RunDirectory;
import org.rlaifv.core.io.RunManifest;

/**
 * The {@link StageRunner} seam: a runner that computes the pending prompts elsewhere (here on
 * worker threads, in reverse order) writes the same run files as the in-process one; the loop
 * checks what a runner delivers and keeps it resumable when a runner misbehaves.
 */
class StageRunnerTest {

  @TempDir Path tmp;

  /**
   * Opens one worker per thread and gives each its own thread; the prompts are computed back to
   * front, and delivered in order. Records which pending prompts each stage handed over.
   */
  static final class PooledRunner implements StageRunner {
    final int threads;
    final List<String> handed = Collections.synchronizedList(new ArrayList<>());

    PooledRunner(int threads) {
      this.threads = threads;
    }

    @Override
    public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
      List<Prompt> pending = stage.pending();
      handed.add(stage.iteration() + ":" + stage.stage() + ":"
          + pending.stream().map(Prompt::id).toList());
      assertEquals(stage.stage() == Stage.SAMPLE ? PromptResponses.class : PromptScores.class,
          stage.recordType());
      List<PromptStage.Worker<R>> workers = new ArrayList<>();
      List<ExecutorService> pools = new ArrayList<>();
      try {
        for (int t = 0; t < threads; t++) {
          workers.add(stage.openWorker());
          pools.add(Executors.newSingleThreadExecutor());
        }
        List<Future<R>> futures = new ArrayList<>(Collections.nCopies(pending.size(), null));
        for (int i = pending.size() - 1; i >= 0; i--) {
          PromptStage.Worker<R> w = workers.get(i % threads);
          Prompt p = pending.get(i);
          futures.set(i, pools.get(i % threads).submit(() -> w.run(p)));
        }
        for (Future<R> f : futures) {
          sink.accept(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      } finally {
        pools.forEach(ExecutorService::shutdownNow);
        workers.forEach(PromptStage.Worker::close);
      }
    }
  }

  /** Runs in process but changes what is delivered. */
  record AlteringRunner(UnaryOperator<List<Object>> alter) implements StageRunner {
    @Override
    @SuppressWarnings("unchecked")
    public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
      List<Object> records = new ArrayList<>();
      try (PromptStage.Worker<R> w = stage.openWorker()) {
        for (Prompt p : stage.pending()) {
          records.add(w.run(p));
        }
      }
      for (Object r : alter.apply(records)) {
        sink.accept((R) r);
      }
    }
  }

  @Test
  void aPooledRunnerWritesTheInProcessRunsFiles() throws IOException {
    List<Prompt> prompts = Fakes.prompts(7);
    AlignmentLoopTest.Setup ref = new AlignmentLoopTest.Setup(tmp.resolve("ref"), "run", 2);
    LoopResult expected = ref.builder(2).build().run(prompts);

    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp.resolve("pooled"), "run", 2);
    PooledRunner runner = new PooledRunner(3);
    LoopResult actual = s.builder(2).stageRunner(runner).build().run(prompts);

    assertEquals(AlignmentLoopTest.snapshot(ref.runDir), AlignmentLoopTest.snapshot(s.runDir));
    RunManifest a = manifest(ref.runDir);
    RunManifest b = manifest(s.runDir);
    assertEquals(a.runId(), b.runId(), "the runner is not part of the run identity");
    assertEquals(a.config(), b.config());
    for (int k = 0; k < 2; k++) {
      assertEquals(a.iterations().get(k).stages(), b.iterations().get(k).stages());
    }
    assertEquals(expected.finalPolicy().id(), actual.finalPolicy().id());
    assertEquals(List.of("1:SAMPLE:" + ids(prompts), "1:SCORE:" + ids(prompts),
        "2:SAMPLE:" + ids(prompts), "2:SCORE:" + ids(prompts)), runner.handed);
    assertEquals(2 * 3, s.opened.size(), "one sampler per worker per iteration");
    assertEquals(s.opened.size(), s.closed.size(), "every worker's sampler closed");
  }

  @Test
  void onlyPendingPromptsAreHandedAndAResumeMayUseAnotherRunner() throws IOException {
    List<Prompt> prompts = Fakes.prompts(5);
    AlignmentLoopTest.Setup ref = new AlignmentLoopTest.Setup(tmp.resolve("ref"), "run", 1);
    ref.builder(1).build().run(prompts);

    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp.resolve("crash"), "run", 1);
    s.failures.failAt(8); // sampler calls 1-5, scorer calls 6-10: two prompts scored
    assertThrows(Fakes.Crash.class, () -> s.builder(1).build().run(prompts));
    s.failures.failAt(0);
    PooledRunner runner = new PooledRunner(2);
    s.builder(1).stageRunner(runner).build().run(prompts);

    assertEquals(List.of("1:SCORE:" + ids(prompts.subList(2, 5))), runner.handed);
    assertEquals(AlignmentLoopTest.snapshot(ref.runDir), AlignmentLoopTest.snapshot(s.runDir));
  }

  @Test
  void recordsOutOfOrderAreRefusedAndWhatCameBeforeIsKept() throws IOException {
    List<Prompt> prompts = Fakes.prompts(4);
    AlignmentLoopTest.Setup ref = new AlignmentLoopTest.Setup(tmp.resolve("ref"), "run", 1);
    ref.builder(1).build().run(prompts);

    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp.resolve("swap"), "run", 1);
    StageRunner swapping = new AlteringRunner(rs -> {
      List<Object> out = new ArrayList<>(rs);
      Collections.swap(out, 1, 2);
      return out;
    });
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).stageRunner(swapping).build().run(prompts));
    assertTrue(e.getMessage().contains("record of prompt p2"), e.getMessage());
    assertTrue(e.getMessage().contains("expected prompt p1"), e.getMessage());
    assertEquals(1, Files.readAllLines(s.runDir.resolve("iter-1/responses.partial.jsonl")).size());

    s.builder(1).build().run(prompts);
    assertEquals(AlignmentLoopTest.snapshot(ref.runDir), AlignmentLoopTest.snapshot(s.runDir));
  }

  @Test
  void aRunnerThatStopsEarlyIsRefusedAndTheStageResumes() throws IOException {
    List<Prompt> prompts = Fakes.prompts(4);
    AlignmentLoopTest.Setup ref = new AlignmentLoopTest.Setup(tmp.resolve("ref"), "run", 1);
    ref.builder(1).build().run(prompts);

    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp.resolve("short"), "run", 1);
    StageRunner dropping = new AlteringRunner(rs -> rs.subList(0, rs.size() - 1));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).stageRunner(dropping).build().run(prompts));
    assertTrue(e.getMessage().contains("3 of 4 records of iteration 1 stage sample"),
        e.getMessage());
    assertEquals(3, Files.readAllLines(s.runDir.resolve("iter-1/responses.partial.jsonl")).size());

    s.builder(1).build().run(prompts);
    assertEquals(AlignmentLoopTest.snapshot(ref.runDir), AlignmentLoopTest.snapshot(s.runDir));
  }

  @Test
  void deliveredRecordsGoThroughTheRoleChecks() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    StageRunner trimming = new AlteringRunner(rs -> rs.stream().map(r -> r instanceof
        PromptResponses pr ? (Object) new PromptResponses(pr.promptId(),
            pr.responses().subList(0, 3)) : r).toList());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).stageRunner(trimming).build().run(Fakes.prompts(2)));
    assertTrue(e.getMessage().contains("3 responses to prompt p0, expected 4"), e.getMessage());
  }

  /** Delivers each record from a thread of its own, which the sink refuses. */
  static final class OffThreadRunner implements StageRunner {
    @Override
    public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
      try (PromptStage.Worker<R> w = stage.openWorker()) {
        R first = w.run(stage.pending().get(0));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
          pool.submit(() -> sink.accept(first)).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } catch (ExecutionException e) {
          throw (RuntimeException) e.getCause();
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  @Test
  void recordsAreDeliveredOnTheLoopsThread() {
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.builder(1).stageRunner(new OffThreadRunner()).build().run(Fakes.prompts(2)));
    assertTrue(e.getMessage().contains("on the thread that runs the loop"), e.getMessage());
  }

  @Test
  void aRunnerIsRequired() {
    assertSame(StageRunner.inProcess(), StageRunner.inProcess(), "a stateless singleton");
    AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(tmp, "run", 1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> s.builder(1).stageRunner(null).build());
    assertTrue(e.getMessage().contains("stageRunner"), e.getMessage());
  }

  private static RunManifest manifest(Path runDir) {
    return Json.read(runDir.resolve(RunDirectory.MANIFEST), RunManifest.class);
  }

  private static List<String> ids(List<Prompt> prompts) {
    return prompts.stream().map(Prompt::id).toList();
  }
}
