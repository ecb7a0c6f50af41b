package org.rlaifv.testkit;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.core.shapes.CaptionGrammar;
import org.rlaifv.core.shapes.Cell;
import org.rlaifv.core.shapes.Colour;
import org.rlaifv.core.shapes.Scene;
import org.rlaifv.core.shapes.SceneObject;
import org.rlaifv.core.shapes.ShapesOracleJudge;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;

/**
 * Runs the judge contract against {@link ShapesOracleJudge} on a registered ShapesWorld prompt
 * image, with questions that are true, false, negated, suffixed, and one naming no shape (an
 * abstention, which must repeat as well).
 */
class ShapesOracleJudgeContractTest extends PolarJudgeContract {
  private static final ShapesWorld WORLD = ShapesWorld.defaults();
  private static final Prompt PROMPT = firstPromptWithObjects();
  private static final ShapesOracleJudge JUDGE = WORLD.oracleJudge();

  private static Prompt firstPromptWithObjects() {
    for (long i = 0; i < 100; i++) {
      Prompt p = WORLD.prompt(Split.VALIDATION, 3L, i);
      if (!WORLD.scene(p.image()).objects().isEmpty()) {
        return p;
      }
    }
    throw new IllegalStateException("no validation scene with objects among the first 100");
  }

  @Override
  protected PolarJudge judge() {
    return JUDGE;
  }

  @Override
  protected Image sampleImage() {
    return PROMPT.image();
  }

  @Override
  protected List<PolarQuestion> sampleQuestions() {
    Scene scene = WORLD.scene(PROMPT.image());
    SceneObject o = scene.objects().get(0);
    Cell elsewhere = null;
    for (Cell c : Cell.values()) {
      if (!scene.contains(o.colour(), o.shape(), c)) {
        elsewhere = c;
        break;
      }
    }
    Colour other = null;
    for (Colour c : Colour.values()) {
      if (!scene.contains(c, o.shape())) {
        other = c;
        break;
      }
    }
    List<PolarQuestion> qs = new ArrayList<>();
    qs.add(question(CaptionGrammar.question(o.colour(), o.shape(), o.cell())));
    qs.add(question("is there no " + o.colour().word() + " " + o.shape().word() + "?"));
    qs.add(question(CaptionGrammar.judgePrompt(CaptionGrammar.question(o.colour(), o.shape()))));
    if (elsewhere != null) {
      qs.add(question(CaptionGrammar.question(o.colour(), o.shape(), elsewhere)));
    }
    if (other != null) {
      qs.add(question(CaptionGrammar.question(other, o.shape())));
    }
    qs.add(question("is the picture bright?"));
    return qs;
  }

  private static PolarQuestion question(String q) {
    return new PolarQuestion(new Claim(q), q);
  }
}
