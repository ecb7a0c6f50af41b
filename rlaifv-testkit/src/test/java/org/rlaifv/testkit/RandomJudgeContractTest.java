package org.rlaifv.testkit;

import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.testkit.fakes.RandomJudge;

/** Runs the judge contract against {@link RandomJudge}: random, yet reproducible. */
class RandomJudgeContractTest extends PolarJudgeContract {

  @Override
  protected PolarJudge judge() {
    return new RandomJudge(3);
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
