package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.testkit.fakes.ConstantJudge;
import org.rlaifv.testkit.fakes.RandomJudge;
import org.rlaifv.testkit.fakes.ScriptedJudge;
import org.rlaifv.testkit.fakes.ScriptedJudge.Answer;

class JudgeHarnessTest {

  private static final List<LabelledQuestion> SET = TestSets.balanced();

  private static ScriptedJudge scripted(double confidence, boolean truthful) {
    ScriptedJudge.Builder b = ScriptedJudge.builder();
    for (LabelledQuestion q : SET) {
      b.answer(q.question(), Answer.of(truthful == q.gold(), confidence));
    }
    return b.build();
  }

  private static AssertionFailedError failure(Runnable check) {
    return assertThrows(AssertionFailedError.class, check::run);
  }

  @Test
  void perfectScriptedJudgePassesEveryBound() {
    ScriptedJudge judge = scripted(0.99, true);
    JudgeReport report = JudgeHarness.defaults().evaluate(judge, SET);

    JudgeAssertions.assertThat(report)
        .sizeAtLeast(24)
        .accuracyAtLeast(0.9)
        .balancedAccuracyAtLeast(0.9)
        .aurocAtLeast(0.95)
        .calibrationErrorAtMost(0.05)
        .abstainRateAtMost(0.0)
        .repeatConsistencyAtLeast(1.0)
        .negationConsistencyAtLeast(1.0);
    assertEquals(24, report.n());
    assertEquals(12, report.positives());
    assertEquals(1.0, report.accuracy());
    assertEquals(1.0, report.auroc());
    assertEquals(0.01, report.expectedCalibrationError(), 1e-9);
    assertTrue(report.worstItems().isEmpty());
    assertEquals(24, report.repeatChecks());
    assertEquals(24, report.negationChecks());
  }

  @Test
  void eachImageIsOneJudgeCallCarryingTheProbes() {
    ScriptedJudge judge = scripted(0.99, true);
    JudgeHarness.defaults().evaluate(judge, SET);
    List<ScriptedJudge.Call> calls = judge.calls();
    assertEquals(6, calls.size(), "one call per distinct image");
    // 4 questions, 4 repeats, 4 built negations per image.
    for (ScriptedJudge.Call c : calls) {
      assertEquals(12, c.questions().size());
      assertEquals(c.questions().get(0), c.questions().get(4));
      assertTrue(c.questions().get(8).startsWith("is there no "), c.questions().get(8));
    }

    ScriptedJudge plain = scripted(0.99, true);
    JudgeHarness.builder().repeatQuestions(false).buildNegations(false).build().evaluate(plain, SET);
    assertEquals(4, plain.calls().get(0).questions().size());
  }

  @Test
  void alwaysYesJudgeFailsWithAReadableMessage() {
    JudgeReport report = JudgeHarness.defaults().evaluate(ConstantJudge.alwaysYes(), SET);
    assertEquals(0.5, report.accuracy(), 1e-12);
    assertEquals(0.5, report.balancedAccuracy(), 1e-12);
    assertEquals(0.5, report.auroc(), 1e-12);
    assertEquals(0.0, report.negationConsistency(), 1e-12);

    AssertionFailedError e = failure(() -> JudgeAssertions.assertThat(report).accuracyAtLeast(0.9));
    String m = e.getMessage();
    assertTrue(m.startsWith("judge accuracy is 0.500, required at least 0.900"), m);
    assertTrue(m.contains("n 24 (12 yes, 12 no)"), m);
    assertTrue(m.contains("most confident wrong answers:"), m);
    assertTrue(m.contains("gold no, judge yes (pYes 0.900, pNo 0.100)"), m);
    assertTrue(m.contains("in scene "), "names the question: " + m);
    assertEquals(0.9, e.getExpected().getValue());
    assertEquals(0.5, e.getActual().getValue());

    String b = failure(() -> JudgeAssertions.assertThat(report).balancedAccuracyAtLeast(0.7)).getMessage();
    assertTrue(b.startsWith("judge balanced accuracy is 0.500, required at least 0.700"), b);
    String a = failure(() -> JudgeAssertions.assertThat(report).aurocAtLeast(0.8)).getMessage();
    assertTrue(a.startsWith("judge AUROC is 0.500, required at least 0.800"), a);
    String n = failure(() -> JudgeAssertions.assertThat(report).negationConsistencyAtLeast(0.9))
        .getMessage();
    assertTrue(n.startsWith("judge negation consistency is 0.000, required at least 0.900"), n);
  }

  @Test
  void randomJudgeFailsWithAReadableMessage() {
    JudgeReport report = JudgeHarness.defaults().evaluate(new RandomJudge(7), SET);
    assertTrue(report.accuracy() < 0.8, report.summary());
    assertEquals(1.0, report.repeatConsistency(), "a seeded random judge still repeats itself");

    String m = failure(() -> JudgeAssertions.assertThat(report).aurocAtLeast(0.9)).getMessage();
    assertTrue(m.startsWith("judge AUROC is "), m);
    assertTrue(m.contains("required at least 0.900"), m);
    assertTrue(m.contains("most confident wrong answers:\n  1. \"is there a "), m);
    failure(() -> JudgeAssertions.assertThat(report).accuracyAtLeast(0.9));
  }

  @Test
  void confidentlyWrongJudgeFailsWithItsWorstItemsShown() {
    JudgeReport report = JudgeHarness.defaults().evaluate(scripted(0.99, false), SET);
    assertEquals(0.0, report.accuracy());
    assertEquals(0.0, report.auroc());
    assertEquals(0.99, report.expectedCalibrationError(), 1e-9);
    assertEquals(5, report.worstItems().size());

    String m = failure(() -> JudgeAssertions.assertThat(report).calibrationErrorAtMost(0.05)).getMessage();
    assertTrue(m.startsWith("judge expected calibration error is 0.990, required at most 0.050"), m);
    assertTrue(m.contains("\n  1. \"is there a red circle in scene 0?\" (image scene-0.png): gold yes,"
        + " judge no (pYes 0.010, pNo 0.990)"), m);
    assertTrue(m.contains("\n  5. \""), m);
    assertTrue(!m.contains("\n  6. "), "keeps only the worst five: " + m);
    failure(() -> JudgeAssertions.assertThat(report).accuracyAtLeast(0.9));
  }

  @Test
  void abstainingJudgeFailsTheAbstainBoundAndHasNoCalibration() {
    JudgeReport report = JudgeHarness.defaults().evaluate(ConstantJudge.of(0.02, 0.03), SET);
    assertEquals(1.0, report.abstainRate());
    assertEquals(0.0, report.accuracy());
    assertTrue(Double.isNaN(report.expectedCalibrationError()));
    String m = failure(() -> JudgeAssertions.assertThat(report).abstainRateAtMost(0.1)).getMessage();
    assertTrue(m.startsWith("judge abstain rate is 1.000, required at most 0.100"), m);
    assertTrue(m.contains("no confidently wrong answers"), m);
    String c = failure(() -> JudgeAssertions.assertThat(report).calibrationErrorAtMost(0.5)).getMessage();
    assertTrue(c.startsWith("judge expected calibration error is undefined (every verdict abstained)"), c);
  }

  @Test
  void reportMatchesHandComputedFigures() {
    Image img1 = TestSets.solid(1, 2, 3);
    Image img2 = TestSets.solid(9, 9, 9);
    List<LabelledQuestion> items = List.of(
        LabelledQuestion.of("one", img1, "does a hold?", true),
        LabelledQuestion.of("one", img1, "does b hold?", false),
        LabelledQuestion.of("two", img2, "does c hold?", true),
        LabelledQuestion.of("two", img2, "does d hold?", false),
        LabelledQuestion.of("one", img1, "does e hold?", false));
    ScriptedJudge judge = ScriptedJudge.builder()
        .answer("does a hold?", Answer.of(0.8, 0.1)) // yes, right
        .answer("does b hold?", Answer.of(0.3, 0.6)) // no, right
        .answer("does c hold?", Answer.of(0.2, 0.7)) // no, wrong
        .answer("does d hold?", Answer.of(0.02, 0.03)) // abstains
        .answer("does e hold?", Answer.of(0.9, 0.05)) // yes, wrong
        .build();
    JudgeReport r = JudgeHarness.defaults().evaluate(judge, items);

    assertEquals(5, r.n());
    assertEquals(2, r.positives());
    assertEquals(2.0 / 5, r.accuracy(), 1e-12);
    // Recall 1/2 on yes items; 1/3 on no items (the abstention counts as wrong).
    assertEquals(0.5 * (1.0 / 2 + 1.0 / 3), r.balancedAccuracy(), 1e-12);
    // pYes: positives .8, .2; negatives .3, .02, .9 -> pairs won: .8 beats .3, .02; .2 beats .02.
    assertEquals(3.0 / 6, r.auroc(), 1e-12);
    // Four answered items, each alone in its bin: |8/9 - 1|, |1/3 - 0|, |2/9 - 1|, |.9/.95 - 0|.
    assertEquals((1.0 / 9 + 1.0 / 3 + 7.0 / 9 + 0.9 / 0.95) / 4, r.expectedCalibrationError(), 1e-12);
    assertEquals(0.2, r.abstainRate(), 1e-12);
    assertEquals(List.of("does e hold?", "does c hold?"),
        r.worstItems().stream().map(j -> j.item().question()).toList());
    assertEquals(0, r.negationChecks(), "these questions cannot be negated");
    assertTrue(Double.isNaN(r.negationConsistency()));
    assertEquals(2, judge.calls().size());
    assertEquals(1.0, r.metrics().get("abstain_rate").doubleValue() * 5, 1e-12);
  }

  @Test
  void setNegationPairsAreChecked() {
    Image img = TestSets.solid(5, 5, 5);
    LabelledQuestion q = new LabelledQuestion("q", "img", img, "is the circle red?", true);
    LabelledQuestion notQ = new LabelledQuestion("not-q", "img", img, "is the circle not red?", false);
    LabelledQuestion r = new LabelledQuestion("r", "img", img, "is the square blue?", false);
    LabelledQuestion notR = new LabelledQuestion("not-r", "img", img, "is the square not blue?", true);
    LabelledSet set = new LabelledSet(List.of(q, notQ, r, notR),
        List.of(new NegationPair(q, notQ), new NegationPair(r, notR)));
    // Answers the first pair consistently, says yes to both of the second.
    ScriptedJudge judge = ScriptedJudge.builder()
        .answer(q.question(), true).answer(notQ.question(), false)
        .answer(r.question(), true).answer(notR.question(), true)
        .build();
    JudgeReport report = JudgeHarness.defaults().evaluate(judge, set);
    assertEquals(2, report.negationChecks());
    assertEquals(0.5, report.negationConsistency(), 1e-12);
    assertEquals(1, report.worstItems().size());
    assertEquals("[r] \"is the square blue?\" (image img): gold no, judge yes (pYes 0.950, pNo 0.050)",
        report.worstItems().get(0).describe());
  }

  @Test
  void buildsNegationsOfExistentialQuestionsOnly() {
    assertEquals(Optional.of("is there no red circle?"), JudgeHarness.negate("is there a red circle?"));
    assertEquals(Optional.of("Are there no squares on the left?"),
        JudgeHarness.negate("Are there any squares on the left ?"));
    assertEquals(Optional.of("is there no water?"), JudgeHarness.negate("is there water?"));
    assertEquals(Optional.empty(), JudgeHarness.negate("is there no red circle?"));
    assertEquals(Optional.empty(), JudgeHarness.negate("is there not a cross?"));
    assertEquals(Optional.empty(), JudgeHarness.negate("is the circle red?"));
    assertEquals(Optional.empty(), JudgeHarness.negate("there is a circle."));
  }

  @Test
  void rejectsEmptySetsAndJudgesThatDropVerdicts() {
    assertThrows(InvalidInputException.class,
        () -> JudgeHarness.defaults().evaluate(ConstantJudge.alwaysNo(), List.of()));
    PolarJudge dropsOne = (image, questions) -> {
      List<ClaimVerdict> out = new ArrayList<>(ConstantJudge.alwaysNo().judge(image, questions));
      out.remove(out.size() - 1);
      return out;
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JudgeHarness.defaults().evaluate(dropsOne, SET));
    assertTrue(e.getMessage().contains("for 12 questions about image scene-0.png"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> JudgeHarness.builder().worstItems(-1));
    assertThrows(InvalidInputException.class, () -> JudgeHarness.builder().calibrationBins(0));
  }

  @Test
  void summaryListsTheFigures() {
    JudgeReport report = JudgeHarness.defaults().evaluate(ConstantJudge.alwaysNo(), SET);
    String s = report.summary();
    assertTrue(s.startsWith("n 24 (12 yes, 12 no), accuracy 0.500, balanced accuracy 0.500, AUROC 0.500"), s);
    assertEquals(List.of("n", "accuracy", "balanced_accuracy", "auroc", "ece", "abstain_rate",
        "repeat_consistency", "negation_consistency"), List.copyOf(report.metrics().keySet()));
  }

  @Test
  void aJudgeThatSortsItsVerdictsIsRefusedNamingItAndTheQuestion() {
    ScriptedJudge truthful = scripted(0.99, true);
    PolarJudge sorting = new PolarJudge() {
      @Override
      public List<ClaimVerdict> judge(Image image, List<org.rlaifv.PolarQuestion> questions) {
        List<ClaimVerdict> out = new ArrayList<>(truthful.judge(image, questions));
        out.sort(java.util.Comparator.comparing(v -> v.question().question()));
        return out;
      }
    };
    // Each image carries several distinct questions, so sorting moves some verdicts.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JudgeHarness.defaults().evaluate(sorting, SET));
    assertTrue(e.getMessage().contains("JudgeHarnessTest$"), e.getMessage());
    assertTrue(e.getMessage().contains("was asked"), e.getMessage());
  }
}
