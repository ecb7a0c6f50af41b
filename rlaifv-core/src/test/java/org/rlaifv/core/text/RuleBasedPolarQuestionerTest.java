package org.rlaifv.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;

class RuleBasedPolarQuestionerTest {
  private final RuleBasedPolarQuestioner questioner = new RuleBasedPolarQuestioner();

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      there is a red circle on the top left.        | is there a red circle on the top left?
      there are two blue squares.                   | are there two blue squares?
      there was a green cross in the middle.        | was there a green cross in the middle?
      there were three circles.                     | were there three circles?
      there is no red circle.                       | is there no red circle?
      there are no squares on the right.            | are there no squares on the right?
      There is a dog on the sofa.                   | Is there a dog on the sofa?
      the circle is red.                            | is the circle red?
      the circle is not red.                        | is the circle not red?
      The sky is blue.                              | Is the sky blue?
      the circle isn't red.                         | isn't the circle red?
      the red circle is on the left of the square.  | is the red circle on the left of the square?
      the big circles in the corner are red.        | are the big circles in the corner red?
      the circle was red.                           | was the circle red?
      the squares were blue.                        | were the squares blue?
      it is raining.                                | is it raining?
      the square can move.                          | can the square move?
      the square cannot move.                       | can the square not move?
      the circle will turn blue.                    | will the circle turn blue?
      the man should wear a hat.                    | should the man wear a hat?
      the circle has a red border.                  | does the circle have a red border?
      the circles have red borders.                 | do the circles have red borders?
      the circle had no border.                     | did the circle have no border?
      the circle has moved to the left.             | has the circle moved to the left?
      the cat has been sleeping.                    | has the cat been sleeping?
      the circle touches the square.                | does the circle touch the square?
      the red circle touches the blue square.       | does the red circle touch the blue square?
      the circles touch the square.                 | do the circles touch the square?
      the circle moved to the left.                 | did the circle move to the left?
      the woman carries an umbrella.                | does the woman carry an umbrella?
      the woman carried an umbrella.                | did the woman carry an umbrella?
      the boy sat on the bench.                     | did the boy sit on the bench?
      the dog barked loudly.                        | did the dog bark loudly?
      the dog barks.                                | does the dog bark?
      the circle does not touch the square.         | does the circle not touch the square?
      the circle doesn't touch the square.          | doesn't the circle touch the square?
      the image shows a red circle.                 | does the image show a red circle?
      the circle that is red is on the left.        | is the circle that is red on the left?
      In the image, there is a red circle.          | In the image, is there a red circle?
      On the left is a red circle.                  | Is there a red circle on the left?
      on the left there is a red circle.            | is there a red circle on the left?
      a red circle on the left.                     | is there a red circle on the left?
      two red circles.                              | are there two red circles?
      is there a red circle?                        | is there a red circle?
      People are walking along the beach.           | Are people walking along the beach?
      Two birds fly over the lake.                  | Do two birds fly over the lake?
      A large crowd gathered in the square.         | Did a large crowd gather in the square?
      The sign says STOP.                           | Does the sign say STOP?
      Paris is a city.                              | Is Paris a city?
      I am standing.                                | Am I standing?
      There's a cat on the sofa.                    | Is there a cat on the sofa?
      they're playing chess.                        | are they playing chess?
      it’s raining.                               | is it raining?
      Several cars were parked along the road.      | Were several cars parked along the road?
      """)
  void rewritesDeclarativesAsPolarQuestions(String claim, String expected) {
    assertEquals(expected, questioner.toQuestion(claim).orElseThrow());
  }

  @Test
  void fallbackFramesWhatNoRuleFits() {
    assertEquals("is it true that hello world?",
        questioner.toQuestion("hello world").orElseThrow());
    assertTrue(new RuleBasedPolarQuestioner(false).toQuestion("hello world").isEmpty());
    assertTrue(questioner.toQuestion(" . ").isEmpty());
  }

  @Test
  void keepsOneQuestionPerClaimInOrder() {
    List<Claim> claims = List.of(new Claim("there is a red circle."), new Claim("hello world"),
        new Claim("the square is blue."));
    List<PolarQuestion> qs = new RuleBasedPolarQuestioner(false).questions(claims);
    assertEquals(2, qs.size());
    assertEquals(claims.get(0), qs.get(0).claim());
    assertEquals(claims.get(2), qs.get(1).claim());
    assertEquals("is the square blue?", qs.get(1).question());
  }
}
