package org.rlaifv.testkit;

import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.testkit.fakes.ScriptedJudge;
import org.rlaifv.testkit.fakes.ScriptedJudge.Answer;

/** Runs the judge contract against {@link ScriptedJudge}. */
class ScriptedJudgeContractTest extends PolarJudgeContract {

  @Override
  protected PolarJudge judge() {
    return ScriptedJudge.builder()
        .answer("is there a red circle?", true)
        .answer("is there a blue cross?", Answer.of(0.3, 0.6))
        .otherwise(Answer.abstain())
        .build();
  }

  @Override
  protected Image sampleImage() {
    return ContractSamples.image();
  }

  @Override
  protected List<PolarQuestion> sampleQuestions() {
    return ContractSamples.questions();
  }
}
