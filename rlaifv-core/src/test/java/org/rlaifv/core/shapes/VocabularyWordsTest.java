package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

class VocabularyWordsTest {

  @Test
  void wordsRoundTrip() {
    for (Shape s : Shape.values()) {
      assertEquals(Optional.of(s), Shape.fromWord(s.word()));
      assertEquals(Optional.of(s), Shape.fromWord(s.plural().toUpperCase(java.util.Locale.ROOT)));
    }
    for (Colour c : Colour.values()) {
      assertEquals(Optional.of(c), Colour.fromWord(c.word()));
    }
    for (Cell c : Cell.values()) {
      assertEquals(Optional.of(c), Cell.fromPhrase(" " + c.phrase().replace(" ", "   ") + " "));
      assertEquals(c, Cell.at(c.row(), c.column()));
    }
    for (Split s : Split.values()) {
      assertEquals(s, Split.fromId(s.id()));
    }
    assertEquals(Optional.empty(), Shape.fromWord("blob"));
    assertEquals(Optional.empty(), Colour.fromWord("orange"));
    assertEquals(Optional.empty(), Cell.fromPhrase("middle"));
    assertThrows(IllegalArgumentException.class, () -> Split.fromId("dev"));
    assertThrows(IllegalArgumentException.class, () -> Cell.at(2, 0));
  }

  @Test
  void coloursAreFarApartAndFromTheBackground() {
    Colour[] cs = Colour.values();
    for (int i = 0; i < cs.length; i++) {
      int bright = cs[i].channel(0) + cs[i].channel(1) + cs[i].channel(2);
      assertTrue(bright > 250, cs[i] + " too dark");
      for (int j = i + 1; j < cs.length; j++) {
        int d = 0;
        for (int ch = 0; ch < 3; ch++) {
          d = Math.max(d, Math.abs(cs[i].channel(ch) - cs[j].channel(ch)));
        }
        assertTrue(d >= 100, cs[i] + " and " + cs[j] + " are too close");
      }
    }
  }

  @Test
  void grammarRejectsWhatItCannotTurnRound() {
    assertEquals(Optional.empty(), CaptionGrammar.questionOf("the circle is red."));
    assertEquals(
        Optional.of("is there a red circle?"), CaptionGrammar.questionOf("There is a red circle."));
    assertThrows(InvalidInputException.class, () -> new SceneRenderer(33, 0));
    assertThrows(InvalidInputException.class, () -> new SceneRenderer(32, 100));
  }
}
