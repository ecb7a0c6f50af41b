package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;

class ShapesOracleJudgePropertyTest {

  @Property(tries = 500)
  void oracleAgreesWithTheSceneGraph(
      @ForAll long seed,
      @ForAll Colour colour,
      @ForAll Shape shape,
      @ForAll @IntRange(min = -1, max = 3) int cellIndex,
      @ForAll boolean negated,
      @ForAll boolean suffix) {
    Scene scene = SceneGenerator.defaults().generate(seed);
    Cell cell = cellIndex < 0 ? null : Cell.values()[cellIndex];
    String q =
        (negated ? "is there no " : "is there a ")
            + colour.word()
            + " "
            + shape.word()
            + (cell == null ? "" : " on the " + cell.phrase())
            + "?";
    boolean present =
        cell == null ? scene.contains(colour, shape) : scene.contains(colour, shape, cell);
    String text = suffix ? CaptionGrammar.judgePrompt(q) : q;
    ClaimVerdict v = ShapesOracleJudge.judge(scene, new PolarQuestion(new Claim("c"), text));
    assertFalse(v.abstained());
    assertEquals(present != negated, !v.rejected(), text + " about " + scene);
  }

  @Property(tries = 300)
  void parserAndMetricsSurviveArbitraryText(@ForAll String text, @ForAll long seed) {
    Scene scene = SceneGenerator.defaults().generate(seed);
    ShapesMetrics.Report r = ShapesMetrics.evaluate(scene, text);
    assertEquals(MentionParser.parse(text).stream().filter(m -> !m.negated()).count(), r.mentions());
  }
}
