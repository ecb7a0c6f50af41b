package org.rlaifv.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.rlaifv.Prompt;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.JsonlReader;

/**
 * Interrupting the loop anywhere (a role throwing at its n-th call, or the thread interrupted from
 * a listener at a stage end) and running it again on the same directory gives exactly the files of
 * an uninterrupted run.
 */
class ResumePropertyTest {

  private static final int ITERATIONS = 3;

  /** The uninterrupted run, made once: every file but the manifest, and its result. */
  private static Map<String, String> referenceFiles;
  private static LoopResult reference;

  private static synchronized void makeReference(List<Prompt> prompts) throws IOException {
    if (reference == null) {
      Path base = Files.createTempDirectory("rlaifv-resume-ref");
      try {
        AlignmentLoopTest.Setup ref = new AlignmentLoopTest.Setup(base, "run", 2);
        reference = builder(ref).build().run(prompts);
        referenceFiles = AlignmentLoopTest.snapshot(ref.runDir);
      } finally {
        deleteTree(base);
      }
    }
  }

  @Property(tries = 15)
  void interruptedRunsResumeToIdenticalFiles(
      @ForAll @IntRange(min = 1, max = 45) int firstCrash,
      @ForAll @IntRange(min = 0, max = 45) int secondCrash) throws IOException {
    Path base = Files.createTempDirectory("rlaifv-resume");
    try {
      List<Prompt> prompts = Fakes.prompts(4);
      makeReference(prompts);
      LoopResult expected = reference;

      AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(base.resolve("crash"), "run", 2);
      boolean crashed = false;
      for (int crashAt : new int[] {firstCrash, secondCrash}) {
        s.failures.failAt(crashAt);
        try {
          builder(s).build().run(prompts);
        } catch (Fakes.Crash e) {
          crashed = true;
        } catch (org.rlaifv.RlaifvException e) {
          assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
          crashed = true;
        }
        // An interrupt at the very last stage end stops nothing; clear it either way.
        crashed |= Thread.interrupted();
      }
      s.failures.failAt(0);
      LoopResult resumed = builder(s).build().run(prompts);

      assertTrue(crashed || firstCrash > 42, "crash point " + firstCrash + " was reached");
      assertEquals(referenceFiles, AlignmentLoopTest.snapshot(s.runDir));
      assertEquals(expected.runId(), resumed.runId());
      assertEquals(expected.finalPolicy().id(), resumed.finalPolicy().id());
      for (int k = 0; k < ITERATIONS; k++) {
        IterationSummary a = expected.iterations().get(k);
        IterationSummary b = resumed.iterations().get(k);
        assertEquals(a.pairs(), b.pairs());
        assertEquals(a.responses(), b.responses());
        assertEquals(a.meanScore(), b.meanScore());
        // Nothing duplicated: one line per prompt, in prompt order.
        List<PromptResponses> lines = JsonlReader.readAll(
            s.runDir.resolve("iter-" + (k + 1)).resolve("responses.jsonl"), PromptResponses.class);
        assertEquals(prompts.stream().map(Prompt::id).toList(),
            lines.stream().map(PromptResponses::promptId).toList());
      }
    } finally {
      deleteTree(base);
    }
  }

  @Property(tries = 5)
  void aCrashInTheFirstCallLeavesNothingToRepeat(@ForAll @IntRange(min = 1, max = 3) int n)
      throws IOException {
    Path base = Files.createTempDirectory("rlaifv-resume");
    try {
      AlignmentLoopTest.Setup s = new AlignmentLoopTest.Setup(base, "run", 1);
      s.failures.failAt(1);
      assertThrows(Fakes.Crash.class, () -> builder(s).iterations(n).build().run(Fakes.prompts(2)));
      s.failures.failAt(0);
      assertEquals(n, builder(s).iterations(n).build().run(Fakes.prompts(2)).iterations().size());
    } finally {
      deleteTree(base);
    }
  }

  /**
   * The test's loop, with a listener that counts as a crash point at each stage end: an exception
   * from a listener does not stop the loop, so at its crash point the listener interrupts the
   * thread, which stops the loop at the next boundary.
   */
  private static AlignmentLoop.Builder builder(AlignmentLoopTest.Setup s) {
    return s.builder(ITERATIONS).listener(new LoopListener() {
      @Override
      public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
        try {
          s.failures.tick("listener");
        } catch (Fakes.Crash e) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }

  private static void deleteTree(Path root) throws IOException {
    MoreFiles.deleteRecursively(root, RecursiveDeleteOption.ALLOW_INSECURE);
  }
}
