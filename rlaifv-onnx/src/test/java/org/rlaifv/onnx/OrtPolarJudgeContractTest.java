package org.rlaifv.onnx;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.PolarJudgeContract;

/**
 * Runs the judge contract against {@link OrtPolarJudge} over the ONNX export of a tiny random
 * model. Batches of two make the four sample questions span two padded decoder runs, so the batch
 * and order checks also cover the cache copies and the right padding.
 */
class OrtPolarJudgeContractTest extends PolarJudgeContract {
  @TempDir static Path tmp;
  private static OrtPolarJudge judge;

  @BeforeAll
  static void open() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 17, 32, 1));
    judge = OrtPolarJudge.open(Checkpoint.of(onnx), BackendOptions.defaults().withBatchSize(2));
  }

  @AfterAll
  static void close() {
    if (judge != null) {
      judge.close();
    }
  }

  @Override
  protected PolarJudge judge() {
    return judge;
  }

  @Override
  protected Image sampleImage() {
    return TinyModels.image(4);
  }

  @Override
  protected List<PolarQuestion> sampleQuestions() {
    return List.of(
        question("is there a red circle ?"),
        question("is there a blue square on the top left ?"),
        question("is there a green cross ?"),
        question("is there a yellow triangle on the bottom right ?"));
  }

  private static PolarQuestion question(String q) {
    return new PolarQuestion(new Claim(q), q);
  }
}
