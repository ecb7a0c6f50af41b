package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.QuestionKind;
import org.rlaifv.core.shapes.ShapesOracleJudge;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;

class HardPretrainTest {

  @Test
  void relationQuestionsAlternateTrueAndWrongAndTheOracleAgrees() {
    ShapesWorld world = ShapesWorld.hard();
    Set<String> questions = new HashSet<>();
    for (long i = 0; i < 200; i++) {
      PolarExample e = HardPretrain.relationQuestion(world, Split.TRAIN, 7, i);
      assertEquals(i % 2 == 0 ? QuestionKind.RELATION : QuestionKind.WRONG_RELATION, e.kind());
      assertEquals(e.answer(), ShapesOracleJudge.judgeHard(e.scene(), e.toPolarQuestion())
          .pYes() > 0.5, e.question());
      assertEquals(e.question(),
          HardPretrain.relationQuestion(world, Split.TRAIN, 7, i).question());
      questions.add(e.question());
    }
    assertTrue(questions.size() > 150, "questions repeat: " + questions.size());
  }
}
