package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.core.text.RuleBasedClaimSplitter;
import org.rlaifv.core.text.RuleBasedPolarQuestioner;

class HardWorldTest {

  private final ShapesWorld world = ShapesWorld.hard();
  private final HardCorpus corpus = world.hardCorpus();

  @Test
  void sizesComeInTwoClassesAndEasyScenesAreUnchanged() {
    int small = 0;
    for (Scene s : world.generator().scenes(Split.TRAIN, 3L, 200)) {
      for (SceneObject o : s.objects()) {
        assertTrue(o.size() <= 0.5 || o.size() >= 0.8, "size " + o.size());
        small += SizeClass.of(o) == SizeClass.SMALL ? 1 : 0;
      }
    }
    assertTrue(small > 150, "small objects: " + small);
    // The easy world draws exactly as before: its generator ignores the size classes.
    assertEquals(SceneGenerator.defaults().generate(42L),
        SceneGenerator.builder().sizeClasses(false).build().generate(42L));
    assertFalse(ShapesWorld.defaults().isHard());
    assertEquals(ShapesWorld.promptId(Split.TEST, 5L, 0),
        ShapesWorld.defaults().prompt(Split.TEST, 5L, 0).id());
  }

  @Test
  void cleanCaptionsAreTrueAndCoverEveryObject() {
    List<Scene> scenes = world.generator().scenes(Split.TRAIN, 9L, 300);
    List<String> captions = scenes.stream().map(HardGrammar::caption).toList();
    HardMetrics.Report r = HardMetrics.evaluate(scenes, captions);
    assertEquals(0, r.falseClaimRate());
    assertEquals(1.0, r.coverage());
    assertTrue(r.countClaims() == 300 && r.relationClaims() > 150, r.toString());
    for (int i = 0; i < scenes.size(); i++) {
      for (HardFact f : HardGrammar.parse(captions.get(i))) {
        assertTrue(f.holdsIn(scenes.get(i)), f + " of " + captions.get(i));
      }
    }
  }

  @Test
  void flawedCaptionsMakeEveryKindOfErrorAndTheMetricsSeparateThem() {
    List<Scene> scenes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    int flawed = 0;
    for (int i = 0; i < 1000; i++) {
      TrainingExample e = corpus.captionExample(Split.TRAIN, 4L, i);
      scenes.add(e.scene());
      texts.add(e.target());
      flawed += e.insertedSentences();
    }
    HardMetrics.Report r = HardMetrics.evaluate(scenes, texts);
    for (ErrorKind k : ErrorKind.values()) {
      assertTrue(r.errorRate(k) > 0.05 && r.errorRate(k) < 0.7, k + " rate " + r.errorRate(k));
    }
    int errors = r.absentObjects() + r.attributeErrors() + r.countErrors() + r.relationErrors();
    // An object whose colour and size are both flawed is one wrong statement.
    assertTrue(errors <= flawed && errors > 0.9 * flawed, errors + " of " + flawed);
    assertEquals(1.0, r.coverage());

    // Without flaws every statement is true.
    HardCorpus clean = new HardCorpus(world.generator(), world.renderer(), 0,
        CaptionCorpus.DEFAULT_PARTNERS);
    List<String> cleanTexts = new ArrayList<>();
    for (Scene s : scenes) {
      cleanTexts.add(clean.flawedCaption(s, new Random(s.seed())).caption());
    }
    assertEquals(0, HardMetrics.evaluate(scenes, cleanTexts).falseClaimRate());
  }

  @Test
  void metricsTellTheKindsApart() {
    Scene s = new Scene(1L, List.of(
        new SceneObject(Shape.CIRCLE, Colour.PURPLE, Cell.TOP_LEFT, 0.45, 0, 0),
        new SceneObject(Shape.SQUARE, Colour.RED, Cell.BOTTOM_RIGHT, 0.85, 0, 0)));
    String text = "there are three objects. there is a small blue circle on the top left. "
        + "there is a large red square on the bottom right. "
        + "there is a large red triangle on the top right. "
        + "the purple circle is right of the red square.";
    HardMetrics.Report r = HardMetrics.evaluate(List.of(s), List.of(text));
    assertEquals(1.0, r.errorRate(ErrorKind.COUNT));
    assertEquals(0.5, r.errorRate(ErrorKind.ATTRIBUTE));
    assertEquals(1.0 / 3, r.chairI(), 1e-12);
    assertEquals(1.0, r.errorRate(ErrorKind.RELATION));
    assertEquals(1.0, r.coverage());
    assertEquals(1.0, r.anyErrorRate());
    assertEquals(0.5, HardMetrics.evaluate(List.of(s),
        List.of("there is a small purple circle on the top left.")).coverage());
  }

  @Test
  void questionsAreBalancedAndTheOracleAgreesWithTheirAnswers() {
    List<PolarExample> hard = world.hardQuestions(Split.TEST, 1L, 240);
    Map<QuestionKind, Integer> kinds = new EnumMap<>(QuestionKind.class);
    for (PolarExample e : hard) {
      kinds.merge(e.kind(), 1, Integer::sum);
      assertEquals(Split.TEST, Split.of(e.scene()));
      ClaimVerdict v = world.oracleJudge().judge(e.image(), List.of(e.toPolarQuestion())).get(0);
      assertEquals(e.answer(), !v.rejected(), e.question() + " about " + e.scene());
    }
    assertEquals(120, hard.stream().filter(PolarExample::answer).count());
    for (QuestionKind k : List.of(QuestionKind.PARTNER, QuestionKind.WRONG_COLOUR,
        QuestionKind.WRONG_SIZE, QuestionKind.WRONG_PLACE, QuestionKind.WRONG_COUNT,
        QuestionKind.WRONG_RELATION, QuestionKind.COUNT, QuestionKind.RELATION)) {
      assertEquals(20, kinds.get(k), k.toString());
    }
    long yes = 0;
    for (int i = 0; i < 600; i++) {
      PolarExample e = corpus.example(Split.TRAIN, 2L, i);
      yes += e.answer() ? 1 : 0;
      assertEquals(e.answer(), ShapesOracleJudge.judgeHard(e.scene(), e.toPolarQuestion())
          .pYes() > 0.5, e.question());
    }
    assertEquals(300, yes);
  }

  @Test
  void theRuleBasedQuestionerAsksWhatTheLabelerLearned() {
    RuleBasedPolarQuestioner questioner = new RuleBasedPolarQuestioner();
    RuleBasedClaimSplitter splitter = new RuleBasedClaimSplitter();
    for (Scene s : world.generator().scenes(Split.TRAIN, 5L, 50)) {
      String caption = corpus.flawedCaption(s, new Random(s.seed())).caption();
      List<PolarQuestion> qs = questioner.questions(splitter.split(caption));
      assertEquals(HardGrammar.parse(caption).size(), qs.size(), caption);
      for (PolarQuestion q : qs) {
        String question = q.question();
        assertTrue(question.startsWith("is there a ") || question.startsWith("are there ")
            || question.startsWith("is there one ") || question.startsWith("is the "), question);
        assertEquals(HardGrammar.parse(q.claim().text()), HardGrammar.parse(question), question);
      }
    }
  }

  @Test
  void minimalPairsAskAboutOneSceneAndDifferInOneDetail() {
    Map<QuestionKind, Integer> kinds = new EnumMap<>(QuestionKind.class);
    int objectPairs = 0;
    for (int k = 0; k < 300; k++) {
      PolarExample yes = corpus.minimalPairExample(Split.TRAIN, 4L, 2L * k);
      PolarExample no = corpus.minimalPairExample(Split.TRAIN, 4L, 2L * k + 1);
      assertTrue(yes.kind().answer() && !no.kind().answer(), yes + " / " + no);
      assertEquals(yes.scene(), no.scene(), "pair " + k);
      List<HardFact> fy = HardGrammar.parse(yes.question());
      List<HardFact> fn = HardGrammar.parse(no.question());
      assertTrue(fy.size() == 1 && fy.get(0).holdsIn(yes.scene()), yes.question());
      assertTrue(fn.size() == 1 && !fn.get(0).holdsIn(no.scene()), no.question());
      kinds.merge(no.kind(), 1, Integer::sum);
      if (no.kind() == QuestionKind.WRONG_COLOUR || no.kind() == QuestionKind.WRONG_SIZE
          || no.kind() == QuestionKind.WRONG_PLACE) {
        // The same object, one word (a colour, a size) or one place (two words) changed.
        List<String> wy = CaptionGrammar.tokens(yes.question());
        List<String> wn = CaptionGrammar.tokens(no.question());
        assertEquals(wy.size(), wn.size(), yes.question() + " / " + no.question());
        int diff = 0;
        for (int i = 0; i < wy.size(); i++) {
          diff += wy.get(i).equals(wn.get(i)) ? 0 : 1;
        }
        assertTrue(diff >= 1 && diff <= 2, yes.question() + " / " + no.question());
        objectPairs++;
      }
    }
    assertEquals(Set.of(QuestionKind.WRONG_COLOUR, QuestionKind.WRONG_SIZE,
        QuestionKind.WRONG_PLACE, QuestionKind.WRONG_RELATION, QuestionKind.WRONG_COUNT),
        kinds.keySet());
    assertTrue(kinds.get(QuestionKind.WRONG_RELATION) > 70, kinds.toString());
    assertTrue(objectPairs > 120, "object pairs: " + objectPairs);
    assertEquals(corpus.minimalPairExample(Split.TRAIN, 4L, 7),
        corpus.minimalPairExample(Split.TRAIN, 4L, 7));
  }

  @Test
  void vocabularyCoversEveryText() {
    Set<String> vocab = new HashSet<>(world.vocabulary());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      TrainingExample p = corpus.policyExample(Split.TRAIN, 1L, i, 0.5);
      TrainingExample l = corpus.labelerExample(Split.TRAIN, 1L, i, 0.3);
      TrainingExample m = corpus.minimalPairExample(Split.TRAIN, 1L, i).toTrainingExample();
      texts.addAll(List.of(p.prompt(), p.target(), l.prompt(), l.target(), m.prompt(), m.target()));
    }
    for (Prompt p : world.prompts(Split.VALIDATION, 20, 1L)) {
      texts.add(p.text());
    }
    for (String t : texts) {
      for (String tok : CaptionGrammar.tokens(t)) {
        assertTrue(vocab.contains(tok), "'" + tok + "' of '" + t + "' is not in the vocabulary");
      }
    }
  }

  @Test
  void promptIdsNameTheHardWorldAndRecoverTheirScenes() {
    Prompt p = world.prompt(Split.TEST, 7L, 3);
    assertEquals("shapes-hard-test-7-3", p.id());
    Scene s = world.scene(p.id());
    assertEquals(world.generator().scene(Split.TEST, 7L, 3), s);
    Response r = new Response(p.id(), 0, HardGrammar.caption(s), 1L, 10);
    HardMetrics.Report m = world.evaluateHard(List.of(r));
    assertEquals(0, m.falseClaimRate());
    assertEquals(Optional.of(s), world.registry().find(p.image()));
    assertEquals(0, world.evaluate(List.of(r)).chairI());
  }
}
