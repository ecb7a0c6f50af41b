package org.rlaifv.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.RlaifvException;
import org.rlaifv.core.loop.LoopListener;
import org.rlaifv.core.loop.StageRunner;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSummary;

/**
 * The Spark stage runner in {@code local[2]} writes the same run files, byte for byte, as the
 * in-process loop, resumes an interrupted stage, and refuses roles it cannot ship.
 */
class SparkStageRunnerTest {
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = TestSpark.local(2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void twoIterationsOnSparkWriteTheInProcessFiles() {
    List<Prompt> prompts = ShapesRuns.prompts(6);
    Path local = tmp.resolve("in-process");
    Path onSpark = tmp.resolve("spark");
    List<String> progress = new ArrayList<>();
    ShapesRuns.run(local, 2, StageRunner.inProcess(), prompts);
    ShapesRuns.loop(onSpark, 2, new SparkStageRunner(spark).withPromptsPerTask(2))
        .listener(new LoopListener() {
          @Override
          public void onStageProgress(int iteration, Stage stage, int done, int total) {
            progress.add(iteration + " " + stage.key() + " " + done + "/" + total);
          }
        })
        .build().run(prompts);
    for (int k = 1; k <= 2; k++) {
      for (String f : List.of("responses.jsonl", "scores.jsonl", "pairs.jsonl", "scorer.json")) {
        assertArrayEquals(ShapesRuns.file(local, k, f), ShapesRuns.file(onSpark, k, f),
            "iteration " + k + " " + f);
      }
    }
    assertTrue(progress.contains("2 score 6/6"), progress.toString());
    assertTrue(progress.contains("1 sample 1/6"), progress.toString());
  }

  @Test
  void anInterruptedSparkStageResumesWithoutRedoingFinishedWork() {
    List<Prompt> prompts = ShapesRuns.prompts(5);
    Path local = tmp.resolve("in-process");
    ShapesRuns.run(local, 1, StageRunner.inProcess(), prompts);

    Path onSpark = tmp.resolve("spark");
    SparkStageRunner runner = new SparkStageRunner(spark).withPromptsPerTask(1);
    LoopListener stopper = new LoopListener() {
      @Override
      public void onStageProgress(int iteration, Stage stage, int done, int total) {
        if (stage == Stage.SCORE && done == 2) {
          Thread.currentThread().interrupt();
        }
      }
    };
    assertThrows(RlaifvException.class,
        () -> ShapesRuns.loop(onSpark, 1, runner).listener(stopper).build().run(prompts));
    assertTrue(Thread.interrupted(), "the interrupt flag stays set");

    List<String> resumed = new ArrayList<>();
    ShapesRuns.loop(onSpark, 1, runner).listener(new LoopListener() {
      @Override
      public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
        if (summary.resumed()) {
          resumed.add(stage.key());
        }
      }
    }).build().run(prompts);
    assertEquals(List.of("sample"), resumed, "the committed sample stage is read back");
    for (String f : List.of("responses.jsonl", "scores.jsonl", "pairs.jsonl")) {
      assertArrayEquals(ShapesRuns.file(local, 1, f), ShapesRuns.file(onSpark, 1, f), f);
    }
  }

  @Test
  void aRelativeModelPathIsRefusedBeforeAnyTaskRuns() {
    List<Prompt> prompts = ShapesRuns.prompts(2);
    Path relative = Path.of("..", "examples", "models", "shapes-policy");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ShapesRuns.loop(tmp.resolve("run"), 1, new SparkStageRunner(spark))
            .initialPolicy(org.rlaifv.Checkpoint.of(relative))
            .build().run(prompts));
    assertTrue(e.getMessage().contains("relative path " + relative), e.getMessage());
  }

  @Test
  void aSamplerGivenAsAFunctionIsRefusedNamingTheFix() {
    List<Prompt> prompts = ShapesRuns.prompts(2);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ShapesRuns.loop(tmp.resolve("run"), 1, new SparkStageRunner(spark))
            .sampler(policy -> ShapesRuns.DJL.newSampler(policy))
            .build().run(prompts));
    assertTrue(e.getMessage().contains("sampler(BackendSpec)"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }
}
