package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.QuestionKind;
import org.rlaifv.core.shapes.ShapesOracleJudge;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;

/**
 * The ShapesWorld oracle passes the harness: on the hard held-out questions (placed true
 * questions and the four hard negatives) and on the balanced stream, it is right, calibrated,
 * never abstains, repeats itself, and answers the built "is there no X?" probes oppositely.
 */
class ShapesOracleJudgeHarnessTest {

  private static List<LabelledQuestion> labelled(List<PolarExample> examples, String name) {
    List<LabelledQuestion> items = new ArrayList<>(examples.size());
    for (int i = 0; i < examples.size(); i++) {
      PolarExample e = examples.get(i);
      items.add(new LabelledQuestion(
          name + "-" + i + " (" + e.kind() + ")", name + "-" + i, e.image(), e.question(), e.answer()));
    }
    return items;
  }

  @Test
  void oraclePassesOnTheHardSet() {
    ShapesWorld world = ShapesWorld.defaults();
    List<PolarExample> hard = world.hardQuestions(Split.VALIDATION, 7L, 64);
    Set<QuestionKind> kinds = EnumSet.noneOf(QuestionKind.class);
    hard.forEach(e -> kinds.add(e.kind()));
    assertEquals(EnumSet.of(QuestionKind.PRESENT_AT, QuestionKind.WRONG_COLOUR,
        QuestionKind.WRONG_SHAPE, QuestionKind.PARTNER, QuestionKind.WRONG_PLACE), kinds);

    ShapesOracleJudge oracle = world.oracleJudge();
    JudgeReport report = JudgeHarness.defaults().evaluate(oracle, labelled(hard, "hard"));

    JudgeAssertions.assertThat(report)
        .sizeAtLeast(64)
        .accuracyAtLeast(0.99)
        .balancedAccuracyAtLeast(0.99)
        .aurocAtLeast(0.99)
        .calibrationErrorAtMost(0.05)
        .abstainRateAtMost(0.0)
        .repeatConsistencyAtLeast(1.0)
        .negationConsistencyAtLeast(1.0);
    assertEquals(32, report.positives());
    // Every hard question is "is there a ...?", so the harness builds a negation for each.
    assertEquals(64, report.negationChecks());
    assertTrue(report.worstItems().isEmpty(), report::summary);
  }

  @Test
  void oraclePassesOnTheBalancedStreamWithUnplacedQuestions() {
    ShapesWorld world = ShapesWorld.defaults();
    List<PolarExample> stream = world.polarCorpus().examples(Split.TEST, 5L, 48);
    for (PolarExample e : stream) {
      world.registry().register(e.image(), e.scene());
    }
    JudgeReport report =
        JudgeHarness.defaults().evaluate(world.oracleJudge(), labelled(stream, "stream"));

    JudgeAssertions.assertThat(report)
        .accuracyAtLeast(0.99)
        .calibrationErrorAtMost(0.05)
        .abstainRateAtMost(0.0)
        .negationConsistencyAtLeast(1.0);
    assertEquals(24, report.positives());
  }

  @Test
  void explicitNegationPairsAreAnsweredOppositely() {
    ShapesWorld world = ShapesWorld.defaults();
    List<LabelledQuestion> items = labelled(world.hardQuestions(Split.TEST, 9L, 16), "hard");
    List<LabelledQuestion> all = new ArrayList<>(items);
    List<NegationPair> pairs = new ArrayList<>();
    for (LabelledQuestion q : items) {
      String neg = JudgeHarness.negate(q.question()).orElseThrow();
      LabelledQuestion n = new LabelledQuestion(
          q.id() + " negated", q.imageName(), q.image(), neg, !q.gold());
      all.add(n);
      pairs.add(new NegationPair(q, n));
    }
    JudgeReport report = JudgeHarness.builder().buildNegations(false).build()
        .evaluate(world.oracleJudge(), new LabelledSet(all, pairs));

    JudgeAssertions.assertThat(report)
        .sizeAtLeast(32)
        .accuracyAtLeast(0.99)
        .calibrationErrorAtMost(0.05)
        .abstainRateAtMost(0.0)
        .negationConsistencyAtLeast(1.0);
    assertEquals(16, report.negationChecks());
  }
}
