package org.rlaifv.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rlaifv.Claim;

class RuleBasedClaimSplitterTest {
  private final RuleBasedClaimSplitter splitter = new RuleBasedClaimSplitter();

  private List<String> split(String text) {
    return splitter.split(text).stream().map(Claim::text).toList();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      there is a red circle on the top left.                  | there is a red circle on the top left.
      there is a red circle and a blue square on the left.    | there is a red circle on the left. ## there is a blue square on the left.
      there is a red circle on the left and a blue square on the right. | there is a red circle on the left. ## there is a blue square on the right.
      there are two red circles and a blue square.            | there are two red circles. ## there is a blue square.
      there is a red circle, a blue square and a green cross. | there is a red circle. ## there is a blue square. ## there is a green cross.
      there was a cat and a dog in the garden.                | there was a cat in the garden. ## there was a dog in the garden.
      there is no red circle and no blue square.              | there is no red circle. ## there is no blue square.
      In the image, there is a cat and a dog.                 | In the image, there is a cat. ## In the image, there is a dog.
      The image shows a red circle and a blue square.         | The image shows a red circle. ## The image shows a blue square.
      a red circle and a blue square are on the left.         | a red circle is on the left. ## a blue square is on the left.
      there is a red and blue circle.                         | there is a red and blue circle.
      the circle is red and the square is blue.               | the circle is red. ## the square is blue.
      there is a circle and there is a square.                | there is a circle. ## there is a square.
      the circle is red, and it is on the left.               | the circle is red. ## it is on the left.
      the man is holding a cup and smiling.                   | the man is holding a cup and smiling.
      The man and the woman are sitting on a bench.           | The man is sitting on a bench. ## The woman is sitting on a bench.
      The red square is left of the circle, and the blue circle is below it. | The red square is left of the circle. ## The blue circle is below it.
      """)
  void splitsSentencesAndCoordinations(String text, String expected) {
    assertEquals(List.of(expected.split(" ## ")), split(text));
  }

  @Test
  void dropsOpinionsQuestionsAndEmptySentences() {
    String text = "There is a red circle. I think it is pretty. The picture is beautiful! "
        + "Is there a square? It seems to be a sunny day.   . "
        + "In my opinion, the colors work well. The square is blue";
    assertEquals(List.of("There is a red circle.", "The square is blue."), split(text));
  }

  @Test
  void handlesListsLinesAndAbbreviations() {
    String text = "Here is what I see:\n- a red circle on the left.\n2) a blue square.\n\n"
        + "* The scene has shapes, e.g. circles and squares.";
    assertEquals(List.of("a red circle on the left.", "a blue square.",
        "The scene has shapes, e.g. circles and squares."), split(text));
  }

  @Test
  void emptyAndJunkGiveNoClaims() {
    assertEquals(List.of(), split(""));
    assertEquals(List.of(), split("   \n\n "));
    assertEquals(List.of(), split("... !!! ???"));
    assertEquals(List.of(), split("Yes."));
  }

  @Test
  void shapesWorldDescriptionsSplitOneClaimPerSentence() {
    String text = "there is a red circle on the top left. there is a blue square on the bottom"
        + " right. there is a green triangle on the top right.";
    assertEquals(3, split(text).size());
    assertEquals("there is a green triangle on the top right.", split(text).get(2));
  }
}
