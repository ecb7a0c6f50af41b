package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.ClaimVerdict;

class PolarCorpusTest {

  private final ShapesWorld world = ShapesWorld.defaults();
  private final PolarCorpus corpus = world.polarCorpus();

  @Test
  void balancedAndAnsweredCorrectlyByTheOracle() {
    List<PolarExample> set = corpus.examples(Split.TRAIN, 5L, 2000);
    long yes = set.stream().filter(PolarExample::answer).count();
    assertEquals(1000, yes);
    Map<QuestionKind, Integer> kinds = new EnumMap<>(QuestionKind.class);
    int placed = 0;
    for (PolarExample e : set) {
      kinds.merge(e.kind(), 1, Integer::sum);
      placed += e.question().contains(" on the ") ? 1 : 0;
      assertTrue(e.question().startsWith("is there a ") && e.question().endsWith("?"));
      ClaimVerdict v = ShapesOracleJudge.judge(e.scene(), e.toPolarQuestion());
      assertFalse(v.abstained());
      assertEquals(e.answer(), !v.rejected(), e.question() + " about " + e.scene());
    }
    for (QuestionKind k : QuestionKind.values()) {
      if (k.hardWorldOnly()) {
        assertEquals(0, kinds.getOrDefault(k, 0), k + " belongs to the hard world");
        continue;
      }
      assertTrue(kinds.getOrDefault(k, 0) > 150, k + " appears " + kinds.get(k) + " times");
    }
    assertEquals(0.5, placed / 2000.0, 0.05);
  }

  @Test
  void hardSetIsBalancedHeldOutAndHard() {
    List<PolarExample> hard = world.hardQuestions(Split.TEST, 1L, 400);
    Map<QuestionKind, Integer> kinds = new EnumMap<>(QuestionKind.class);
    for (PolarExample e : hard) {
      kinds.merge(e.kind(), 1, Integer::sum);
      assertEquals(Split.TEST, Split.of(e.scene()));
      assertTrue(e.question().contains(" on the "), "hard questions name a place");
      assertTrue(e.answer() || e.kind().hard());
    }
    assertEquals(200, kinds.get(QuestionKind.PRESENT_AT));
    for (QuestionKind k :
        List.of(
            QuestionKind.WRONG_COLOUR,
            QuestionKind.WRONG_SHAPE,
            QuestionKind.PARTNER,
            QuestionKind.WRONG_PLACE)) {
      assertEquals(50, kinds.get(k));
    }
    List<ClaimVerdict> verdicts = new java.util.ArrayList<>();
    try (ShapesOracleJudge oracle = world.oracleJudge()) {
      for (PolarExample e : hard) {
        verdicts.addAll(oracle.judge(e.image(), List.of(e.toPolarQuestion())));
      }
    }
    ShapesMetrics.LabelerAgreement a = ShapesMetrics.labelerAccuracy(hard, verdicts);
    assertEquals(1.0, a.accuracy());
    assertEquals(1.0, a.balancedAccuracy());
  }

  @Test
  void partnerQuestionsAskForTheHallucinatedObject() {
    List<PolarExample> hard = corpus.hardSet(Split.VALIDATION, 3L, 80);
    for (PolarExample e : hard) {
      if (e.kind() == QuestionKind.PARTNER) {
        Mention m = MentionParser.parse(e.question()).get(0);
        boolean hasTrigger =
            e.scene().objects().stream()
                .anyMatch(
                    o ->
                        CaptionCorpus.DEFAULT_PARTNERS.get(o.shape()) == m.shape()
                            && m.colour().orElseThrow() == o.colour());
        assertTrue(hasTrigger, e.question() + " about " + e.scene());
        assertFalse(m.existsIn(e.scene()));
      }
    }
  }

  @Test
  void labelerMixHoldsCaptionsAndQuestions() {
    List<TrainingExample> mix = corpus.labelerExamples(Split.TRAIN, 9L, 1000, 0.5);
    int captions = 0;
    int yes = 0;
    for (TrainingExample t : mix) {
      if (CaptionGrammar.PROMPTS.contains(t.prompt())) {
        captions++;
        assertEquals(CaptionGrammar.caption(t.scene()), t.target());
      } else {
        assertTrue(t.prompt().endsWith(CaptionGrammar.JUDGE_SUFFIX));
        assertTrue(t.target().equals("yes") || t.target().equals("no"));
        yes += t.target().equals("yes") ? 1 : 0;
      }
    }
    assertEquals(0.5, captions / 1000.0, 0.05);
    assertEquals(0.5, yes / (double) (1000 - captions), 0.06);
    assertEquals(mix, corpus.labelerExamples(Split.TRAIN, 9L, 1000, 0.5));
  }
}
