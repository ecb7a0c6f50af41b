package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class MentionParserTest {

  @Property(tries = 300)
  void cleanCaptionsParseBackToTheScene(@ForAll long seed) {
    Scene scene = SceneGenerator.defaults().generate(seed);
    String caption = CaptionGrammar.caption(scene);
    List<Mention> ms = MentionParser.parse(caption);
    assertEquals(scene.objects().size(), ms.size());
    for (int i = 0; i < ms.size(); i++) {
      SceneObject o = scene.objects().get(i);
      assertEquals(Mention.of(o.colour(), o.shape(), o.cell()), ms.get(i));
    }
    ShapesMetrics.Report r = ShapesMetrics.evaluate(scene, caption);
    assertEquals(0.0, r.chairI());
    assertEquals(0.0, r.chairS());
    assertEquals(1.0, r.coverage());
    assertEquals(1.0, r.positionAccuracy());
    assertEquals(9.0, r.meanWords() / scene.objects().size());
  }

  @Property(tries = 200)
  void captionSentencesTurnIntoTheCorpusQuestions(@ForAll long seed) {
    Scene scene = SceneGenerator.defaults().generate(seed);
    List<String> sentences = CaptionGrammar.sentences(CaptionGrammar.caption(scene));
    assertEquals(scene.objects().size(), sentences.size());
    for (int i = 0; i < sentences.size(); i++) {
      SceneObject o = scene.objects().get(i);
      assertEquals(
          Optional.of(CaptionGrammar.question(o.colour(), o.shape(), o.cell())),
          CaptionGrammar.questionOf(sentences.get(i)));
    }
  }

  @Test
  void looseFormsAreUnderstood() {
    List<Mention> ms =
        MentionParser.parse(
            "In the upper right corner I can see a Blue Square, and a yellow triangle at the"
                + " bottom left!\nThere are two green crosses; also a circle.");
    assertEquals(4, ms.size());
    assertEquals(Mention.of(Colour.BLUE, Shape.SQUARE, Cell.TOP_RIGHT), ms.get(0));
    assertEquals(Mention.of(Colour.YELLOW, Shape.TRIANGLE, Cell.BOTTOM_LEFT), ms.get(1));
    assertEquals(
        new Mention(Optional.of(Colour.GREEN), Shape.CROSS, Optional.empty(), false), ms.get(2));
    assertEquals(new Mention(Optional.empty(), Shape.CIRCLE, Optional.empty(), false), ms.get(3));
  }

  @Test
  void negationsAreMarked() {
    List<Mention> ms =
        MentionParser.parse("there is no red circle on the top left. is there not a blue cross?");
    assertEquals(2, ms.size());
    assertTrue(ms.get(0).negated());
    assertTrue(ms.get(1).negated());
    List<Mention> mixed = MentionParser.parse("there is a red circle and no blue square");
    assertFalse(mixed.get(0).negated());
    assertTrue(mixed.get(1).negated());
  }

  @Test
  void junkGivesNoMentions() {
    assertTrue(MentionParser.parse("").isEmpty());
    assertTrue(MentionParser.parse("... ??? 123 %% the the top left red").isEmpty());
    assertTrue(MentionParser.parse("describe the image. Please answer yes or no.").isEmpty());
    assertEquals(
        List.of(Mention.of(Colour.RED, Shape.CIRCLE, Cell.TOP_LEFT)),
        MentionParser.parse("\u0000there is is a a red circle circleX on on the top left left."));
  }

  @Test
  void tokensSplitPunctuation() {
    assertEquals(
        List.of("is", "there", "a", "red", "circle", "?", "Please", "answer", "yes", "or", "no", "."),
        CaptionGrammar.tokens(CaptionGrammar.judgePrompt("is there a red circle?")));
    assertEquals("is there a red circle?", CaptionGrammar.stripJudgeSuffix(
        "is there a red circle? Please answer yes or no."));
  }
}
