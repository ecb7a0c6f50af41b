package org.rlaifv.testkit;

import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.testkit.fakes.ConstantJudge;

/** Runs the judge contract against {@link ConstantJudge}. */
class ConstantJudgeContractTest extends PolarJudgeContract {

  @Override
  protected PolarJudge judge() {
    return ConstantJudge.alwaysYes();
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
