package org.rlaifv.djl;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.PolarJudgeContract;

/**
 * Runs the judge contract against {@link DjlPolarJudge} over a tiny random model. Batches of two
 * make the four sample questions span two padded decoder batches, so the batch and order checks
 * also cover the chunking and the right padding.
 */
class DjlPolarJudgeContractTest extends PolarJudgeContract {
  @TempDir static Path dir;
  private static LoadedVlm vlm;
  private static DjlPolarJudge judge;

  @BeforeAll
  static void open() {
    vlm = TinyVlms.create(dir, 31);
    judge = new DjlPolarJudge(vlm, BackendOptions.defaults().withBatchSize(2), false);
  }

  @AfterAll
  static void close() {
    if (judge != null) {
      judge.close();
    }
    if (vlm != null) {
      vlm.close();
    }
  }

  @Override
  protected PolarJudge judge() {
    return judge;
  }

  @Override
  protected Image sampleImage() {
    return TinyVlms.image(5, 16);
  }

  @Override
  protected List<PolarQuestion> sampleQuestions() {
    return List.of(
        question("is there a red circle ?"),
        question("is there a blue square on the top left ?"),
        question("Is there a cross ?"),
        question("is there a yellow triangle on the bottom right of the image ?"));
  }

  private static PolarQuestion question(String q) {
    return new PolarQuestion(new Claim(q), q);
  }
}
