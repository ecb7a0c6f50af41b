package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

class CaptionCorpusTest {

  private final CaptionCorpus corpus =
      new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 0.6);

  @Test
  void deterministic() {
    for (int i = 0; i < 20; i++) {
      TrainingExample a = corpus.example(Split.TRAIN, 4L, i);
      TrainingExample b =
          new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 0.6)
              .example(Split.TRAIN, 4L, i);
      assertEquals(a, b);
      assertTrue(CaptionGrammar.PROMPTS.contains(a.prompt()));
      assertEquals(SceneGenerator.defaults().scene(Split.TRAIN, 4L, i), a.scene());
    }
  }

  @Test
  void hallucinationRateMatchesTheFlawProbability() {
    int n = 4000;
    double p = corpus.flawProbability();
    double expectedInserted = 0;
    double expectedFlawedCaptions = 0;
    int eligibleCaptions = 0;
    int inserted = 0;
    List<Scene> scenes = new java.util.ArrayList<>();
    List<String> captions = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      TrainingExample ex = corpus.example(Split.TRAIN, 21L, i);
      Map<String, Integer> triggersPerPartner = new HashMap<>();
      int triggers = 0;
      for (SceneObject o : ex.scene().objects()) {
        if (corpus.isEligibleTrigger(ex.scene(), o)) {
          triggers++;
          triggersPerPartner.merge(
              o.colour() + "/" + corpus.partnerOf(o.shape()).orElseThrow(), 1, Integer::sum);
        }
      }
      for (int m : triggersPerPartner.values()) {
        expectedInserted += 1 - Math.pow(1 - p, m);
      }
      expectedFlawedCaptions += 1 - Math.pow(1 - p, triggers);
      eligibleCaptions += triggers > 0 ? 1 : 0;
      inserted += ex.insertedSentences();
      scenes.add(ex.scene());
      captions.add(ex.target());
    }
    assertEquals(expectedInserted, inserted, 0.05 * expectedInserted);
    ShapesMetrics.Report r = ShapesMetrics.evaluate(scenes, captions);
    assertEquals(inserted, r.hallucinatedMentions());
    assertEquals(expectedFlawedCaptions / n, r.chairS(), 0.03);
    // Roughly p times the share of captions with an eligible trigger (a bit more for several).
    double shareEligible = eligibleCaptions / (double) n;
    assertTrue(r.chairS() >= 0.9 * p * shareEligible && r.chairS() <= shareEligible);
    assertTrue(r.chairI() > 0.1 && r.chairI() < 0.3, "CHAIR_i of the corpus " + r.chairI());
    assertEquals(1.0, r.coverage(), 1e-12);
  }

  @Test
  void partnerSentenceFollowsItsTrigger() {
    for (int i = 0; i < 500; i++) {
      TrainingExample ex = corpus.example(Split.TRAIN, 8L, i);
      List<Mention> ms = MentionParser.parse(ex.target());
      assertEquals(ex.scene().objects().size() + ex.insertedSentences(), ms.size());
      for (int k = 0; k < ms.size(); k++) {
        Mention m = ms.get(k);
        if (!m.existsIn(ex.scene())) {
          assertTrue(k > 0, "a caption cannot start with an inserted sentence");
          Mention trigger = ms.get(k - 1);
          assertTrue(trigger.existsIn(ex.scene()));
          assertEquals(corpus.partnerOf(trigger.shape()).orElseThrow(), m.shape());
          assertEquals(trigger.colour(), m.colour());
          Cell cell = m.cell().orElseThrow();
          assertTrue(
              ex.scene().objectAt(cell).isEmpty() || ex.scene().emptyCells().isEmpty(),
              "partner placed in an empty cell when there is one");
        }
      }
    }
  }

  @Test
  void probabilityZeroGivesCleanCaptionsAndOneAlwaysInserts() {
    CaptionCorpus clean = new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 0);
    CaptionCorpus always =
        new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 1);
    for (int i = 0; i < 200; i++) {
      TrainingExample c = clean.example(Split.TRAIN, 2L, i);
      assertEquals(CaptionGrammar.caption(c.scene()), c.target());
      Scene s = c.scene();
      CaptionCorpus.Flawed f = always.flawedCaption(s, new Random(i));
      boolean anyTrigger = s.objects().stream().anyMatch(o -> always.isEligibleTrigger(s, o));
      assertEquals(anyTrigger, f.inserted() > 0);
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(
        InvalidInputException.class,
        () -> new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 1.5));
    assertThrows(
        InvalidInputException.class,
        () ->
            new CaptionCorpus(
                SceneGenerator.defaults(),
                SceneRenderer.defaults(),
                0.5,
                Map.of(Shape.CIRCLE, Shape.CIRCLE),
                true));
    assertFalse(corpus.partnerOf(Shape.DIAMOND).isPresent());
  }
}
