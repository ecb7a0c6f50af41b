package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;

class ShapesMetricsTest {

  private static final Scene TWO =
      new Scene(
          1,
          List.of(
              SceneObject.of(Shape.CIRCLE, Colour.RED, Cell.TOP_LEFT),
              SceneObject.of(Shape.SQUARE, Colour.BLUE, Cell.BOTTOM_RIGHT)));
  private static final Scene ONE =
      new Scene(2, List.of(SceneObject.of(Shape.TRIANGLE, Colour.GREEN, Cell.TOP_RIGHT)));

  @Test
  void handMadeExample() {
    List<String> responses =
        List.of(
            // 3 mentions: red circle right, blue square in the wrong place, yellow cross invented.
            "there is a red circle on the top left. there is a blue square on the top right."
                + " there is a yellow cross on the bottom left.",
            // 1 mention, correct; one negated mention is not counted.
            "there is a green triangle on the top right. there is no red circle.");
    ShapesMetrics.Report r = ShapesMetrics.evaluate(List.of(TWO, ONE), responses);
    assertEquals(2, r.responses());
    assertEquals(4, r.mentions());
    assertEquals(1, r.hallucinatedMentions());
    assertEquals(0.25, r.chairI(), 1e-12);
    assertEquals(0.5, r.chairS(), 1e-12);
    assertEquals(3, r.objects());
    assertEquals(1.0, r.coverage(), 1e-12);
    assertEquals(3, r.placedMentions());
    assertEquals(2.0 / 3, r.positionAccuracy(), 1e-12);
    assertEquals((27 + 14) / 2.0, r.meanWords(), 1e-12);
  }

  @Test
  void silentResponseCoversNothingAndHallucinatesNothing() {
    ShapesMetrics.Report r = ShapesMetrics.evaluate(List.of(TWO, ONE), List.of("", "nothing."));
    assertEquals(0.0, r.chairI());
    assertEquals(0.0, r.chairS());
    assertEquals(0.0, r.coverage());
    assertEquals(0.5, r.meanWords());
  }

  @Test
  void partialCoverage() {
    ShapesMetrics.Report r = ShapesMetrics.evaluate(TWO, "a red circle. a red square.");
    assertEquals(0.5, r.coverage());
    assertEquals(0.5, r.chairI());
    assertEquals(1.0, r.chairS());
  }

  @Test
  void mismatchedListsAreRejected() {
    assertThrows(
        InvalidInputException.class, () -> ShapesMetrics.evaluate(List.of(TWO), List.of()));
  }

  @Test
  void labelerAccuracyCountsTiesAsNo() {
    ShapesMetrics.LabelerAgreement a =
        ShapesMetrics.labelerAccuracy(
            List.of(true, true, false, false, false),
            List.of(0.9, 0.5, 0.2, 0.5, 0.7),
            List.of(0.1, 0.5, 0.8, 0.5, 0.3));
    assertEquals(5, a.n());
    assertEquals(3.0 / 5, a.accuracy(), 1e-12);
    assertEquals(0.5, a.truePositiveRate(), 1e-12);
    assertEquals(2.0 / 3, a.trueNegativeRate(), 1e-12);
    assertEquals((0.5 + 2.0 / 3) / 2, a.balancedAccuracy(), 1e-12);
  }

  @Test
  void labelerAccuracyFromVerdicts() {
    Scene s = ONE;
    PolarExample yes =
        new PolarExample(
            s,
            SceneRenderer.defaults().render(s),
            "is there a green triangle?",
            QuestionKind.PRESENT);
    PolarExample no =
        new PolarExample(
            s, SceneRenderer.defaults().render(s), "is there a red triangle?", QuestionKind.WRONG_COLOUR);
    PolarQuestion q = new PolarQuestion(new Claim("x"), "q?");
    ShapesMetrics.LabelerAgreement a =
        ShapesMetrics.labelerAccuracy(
            List.of(yes, no),
            List.of(new ClaimVerdict(q, 0.8, 0.1, false), new ClaimVerdict(q, 0, 0, true)));
    assertEquals(1.0, a.accuracy());
    assertEquals(1, a.abstained());
  }
}
