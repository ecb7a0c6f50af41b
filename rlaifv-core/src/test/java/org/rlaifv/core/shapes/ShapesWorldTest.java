package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;

class ShapesWorldTest {

  private final ShapesWorld world = ShapesWorld.defaults();

  @Test
  void vocabularyCoversEveryCorpusText() {
    Set<String> vocab = new HashSet<>(world.vocabulary());
    for (String t : List.of("yes", "Yes", "no", "No", "please", "Please", "answer", "or", ".", "?")) {
      assertTrue(vocab.contains(t), t);
    }
    List<String> texts = new ArrayList<>();
    for (TrainingExample e : world.captionCorpus().examples(Split.TRAIN, 1L, 300)) {
      texts.add(e.prompt());
      texts.add(e.target());
    }
    for (TrainingExample e : world.polarCorpus().labelerExamples(Split.TRAIN, 1L, 300, 0.5)) {
      texts.add(e.prompt());
      texts.add(e.target());
    }
    for (Prompt p : world.prompts(Split.VALIDATION, 50, 1L)) {
      texts.add(p.text());
    }
    for (String t : texts) {
      for (String tok : CaptionGrammar.tokens(t)) {
        assertTrue(vocab.contains(tok), "'" + tok + "' of '" + t + "' is not in the vocabulary");
      }
    }
    assertEquals(world.vocabulary().size(), vocab.size());
  }

  @Test
  void promptsHaveStableIdsAndRecoverableScenes() {
    List<Prompt> prompts = world.prompts(Split.TEST, 30, -7L);
    assertEquals(prompts, ShapesWorld.defaults().prompts(Split.TEST, 30, -7L));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < prompts.size(); i++) {
      Prompt p = prompts.get(i);
      assertEquals(ShapesWorld.promptId(Split.TEST, -7L, i), p.id());
      assertTrue(ids.add(p.id()));
      Scene s = world.scene(p.id());
      assertEquals(s, ShapesWorld.defaults().scene(p.id()));
      assertEquals(world.renderer().render(s), p.image());
      assertEquals(s, world.scene(p.image()));
      assertTrue(CaptionGrammar.PROMPTS.contains(p.text()));
    }
    assertThrows(InvalidInputException.class, () -> world.scene("not-a-shapes-id"));
  }

  @Test
  void oracleJudgeAnswersFromTheRegisteredScene() {
    Prompt p = world.prompt(Split.TRAIN, 3L, 0);
    Scene s = world.scene(p.id());
    SceneObject o = s.objects().get(0);
    Cell wrongCell = s.emptyCells().isEmpty() ? null : s.emptyCells().get(0);
    List<PolarQuestion> qs = new ArrayList<>();
    qs.add(q(CaptionGrammar.question(o.colour(), o.shape(), o.cell())));
    qs.add(q(CaptionGrammar.judgePrompt(CaptionGrammar.question(o.colour(), o.shape()))));
    qs.add(q("is there no " + o.name() + "?"));
    qs.add(q("are there " + o.colour().word() + " " + o.shape().plural() + "?"));
    qs.add(q("is the sky blue?"));
    try (ShapesOracleJudge judge = world.oracleJudge()) {
      List<ClaimVerdict> v = judge.judge(p.image(), qs);
      assertEquals(5, v.size());
      assertEquals(1.0, v.get(0).pYes());
      assertEquals(1.0, v.get(1).pYes());
      assertEquals(1.0, v.get(2).pNo());
      assertEquals(1.0, v.get(3).pYes());
      assertTrue(v.get(4).abstained());
      assertEquals(0.0, v.get(4).pYes() + v.get(4).pNo());
      if (wrongCell != null) {
        ClaimVerdict w =
            judge
                .judge(p.image(), List.of(q(CaptionGrammar.question(o.colour(), o.shape(), wrongCell))))
                .get(0);
        assertTrue(w.rejected());
      }
      Image unknown = new Image(2, 2, new byte[12]);
      assertThrows(InvalidInputException.class, () -> judge.judge(unknown, qs));
    }
  }

  @Test
  void evaluateUsesPromptIds() {
    List<Prompt> prompts = world.prompts(Split.VALIDATION, 40, 2L);
    List<Response> clean = new ArrayList<>();
    List<Response> flawed = new ArrayList<>();
    for (Prompt p : prompts) {
      Scene s = world.scene(p.id());
      clean.add(new Response(p.id(), 0, CaptionGrammar.caption(s), 0, 0));
      SceneObject o = s.objects().get(0);
      Colour other = o.colour() == Colour.RED ? Colour.GREEN : Colour.RED;
      String extra =
          s.contains(other, o.shape()) ? "" : " " + CaptionGrammar.sentence(other, o.shape(), o.cell());
      flawed.add(new Response(p.id(), 1, CaptionGrammar.caption(s) + extra, 0, 0));
    }
    ShapesMetrics.Report c = world.evaluate(clean);
    assertEquals(0.0, c.chairI());
    assertEquals(1.0, c.coverage());
    ShapesMetrics.Report f = world.evaluate(flawed);
    assertTrue(f.chairS() > 0.8, "CHAIR_s " + f.chairS());
    assertEquals(1.0, f.coverage());
  }

  private static PolarQuestion q(String text) {
    return new PolarQuestion(new Claim("claim of " + text), text);
  }
}
