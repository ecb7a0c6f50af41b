package org.rlaifv.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.examples.shapes.ShapesModels;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.Backends;
import org.rlaifv.testkit.JudgeAssertions;
import org.rlaifv.testkit.JudgeHarness;
import org.rlaifv.testkit.JudgeReport;
import org.rlaifv.testkit.LabelledQuestion;
import org.rlaifv.testkit.PolarJudgeContract;

/**
 * A judge unit test written the way a user tests their own labeler: the shipped ShapesWorld
 * labeler, opened through the {@code djl} backend, must honour the {@link PolarJudge} contract and
 * pass the harness's quality bounds on hard held-out questions it never trained on.
 *
 * <pre>
 * mvn -B -pl examples -am verify -Dtest=ShippedLabelerJudgeTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedLabelerJudgeTest {

  private static final ShapesWorld WORLD = ShapesWorld.defaults();
  private static PolarJudge labeler;

  @BeforeAll
  static void open() {
    Path dir = ShapesModels.modelsDirectory(null).resolve(ShapesModels.LABELER);
    labeler = Backends.get("djl").newJudge(Checkpoint.of(dir), BackendOptions.defaults());
  }

  @AfterAll
  static void close() {
    labeler.close();
  }

  /** Quality: accuracy, ranking, calibration and consistency on 128 hard validation questions. */
  @Test
  void labelerIsAccurateAndCalibratedOnHardHeldOutQuestions() {
    List<PolarExample> hard = WORLD.hardQuestions(Split.VALIDATION, 11L, 128);
    List<LabelledQuestion> items = new ArrayList<>(hard.size());
    for (int i = 0; i < hard.size(); i++) {
      PolarExample e = hard.get(i);
      items.add(LabelledQuestion.of("validation-" + i, e.image(), e.question(), e.answer()));
    }
    JudgeReport report = JudgeHarness.defaults().evaluate(labeler, items);
    JudgeAssertions.assertThat(report)
        .sizeAtLeast(128)
        .accuracyAtLeast(0.8)
        .balancedAccuracyAtLeast(0.8)
        .aurocAtLeast(0.85)
        .calibrationErrorAtMost(0.15)
        .abstainRateAtMost(0.01)
        .repeatConsistencyAtLeast(1.0);
  }

  /** The contract every judge honours, run against the shipped labeler. */
  @Nested
  class Contract extends PolarJudgeContract {
    private final PolarExample sample = WORLD.hardQuestions(Split.VALIDATION, 3L, 8).get(0);

    @Override
    protected PolarJudge judge() {
      return labeler;
    }

    @Override
    protected Image sampleImage() {
      return sample.image();
    }

    @Override
    protected List<PolarQuestion> sampleQuestions() {
      List<PolarQuestion> qs = new ArrayList<>();
      for (String q : List.of("is there a red circle on the top left?", "is there a blue square?",
          "is there a green triangle on the bottom right?", sample.question())) {
        qs.add(new PolarQuestion(new Claim(q), q));
      }
      return qs;
    }
  }
}
