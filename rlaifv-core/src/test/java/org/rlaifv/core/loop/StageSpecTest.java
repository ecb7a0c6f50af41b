package org.rlaifv.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;

/** Stage specs survive the JSON trip to another JVM, and their role keys say which roles match. */
class StageSpecTest {
  private static final BackendSpec DJL =
      new BackendSpec("djl", BackendOptions.defaults().withProperty("k", "v"));
  private static final Checkpoint POLICY = new Checkpoint("p1", Path.of("/models/p1"));

  @Test
  void specsRoundTripThroughJson() {
    StageSpec sample = new StageSpec(Stage.SAMPLE, 2, POLICY, -5L,
        SamplingParams.builder().n(3).temperature(0.9).build(), DJL, null);
    StageSpec score = new StageSpec(Stage.SCORE, 2, POLICY, -5L, null, null,
        ScorerSpec.ruleBased(DJL, new Checkpoint("lab", Path.of("/models/lab")))
            .withPromptedClaims(new BackendSpec("onnx", BackendOptions.defaults()),
                new Checkpoint("llm", Path.of("/models/llm"))));
    assertEquals(sample, StageSpec.fromJson(sample.toJson()));
    assertEquals(score, StageSpec.fromJson(score.toJson()));
  }

  @Test
  void roleKeysDependOnTheModelNotOnTheIteration() {
    ScorerSpec labeler = ScorerSpec.ruleBased(DJL, new Checkpoint("lab", Path.of("/models/lab")));
    StageSpec it1 = new StageSpec(Stage.SCORE, 1, POLICY, 1, null, null, labeler);
    StageSpec it2 = new StageSpec(Stage.SCORE, 2,
        new Checkpoint("p2", Path.of("/run/iter-1/train/checkpoint-1")), 2, null, null, labeler);
    assertEquals(it1.roleKey(), it2.roleKey(), "a fixed labeler is opened once");
    ScorerSpec self = ScorerSpec.selfFeedback(DJL);
    assertNotEquals(new StageSpec(Stage.SCORE, 1, POLICY, 1, null, null, self).roleKey(),
        new StageSpec(Stage.SCORE, 2, it2.policy(), 2, null, null, self).roleKey(),
        "a self-feedback judge follows the policy");
    StageSpec sampleOther = new StageSpec(Stage.SAMPLE, 1, POLICY, 1,
        SamplingParams.builder().build(),
        new BackendSpec("djl", BackendOptions.defaults().withBatchSize(3)), null);
    assertNotEquals(new StageSpec(Stage.SAMPLE, 1, POLICY, 1, SamplingParams.builder().build(),
        DJL, null).roleKey(), sampleOther.roleKey(), "other options open another role");
  }

  @Test
  void aStageSpecWithoutItsRoleIsRefused() {
    assertThrows(InvalidInputException.class,
        () -> new StageSpec(Stage.SAMPLE, 1, POLICY, 1, null, DJL, null));
    assertThrows(InvalidInputException.class,
        () -> new StageSpec(Stage.SCORE, 1, POLICY, 1, null, DJL, null));
    assertThrows(InvalidInputException.class,
        () -> new StageSpec(Stage.PAIR, 1, POLICY, 1, null, DJL, null));
  }
}
