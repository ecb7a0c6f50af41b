package org.rlaifv.onnx;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.ResponseSamplerContract;

/**
 * Runs the sampler contract against {@link OrtResponseSampler} over the ONNX export of a tiny
 * random model. Batches of two rows split the three samples of a prompt over two decoder runs
 * from the one prefill.
 */
class OrtResponseSamplerContractTest extends ResponseSamplerContract {
  @TempDir static Path tmp;
  private static OrtResponseSampler sampler;

  @BeforeAll
  static void open() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 23, 32, 1));
    sampler = OrtResponseSampler.open(Checkpoint.of(onnx), BackendOptions.defaults().withBatchSize(2));
  }

  @AfterAll
  static void close() {
    if (sampler != null) {
      sampler.close();
    }
  }

  @Override
  protected ResponseSampler sampler() {
    return sampler;
  }

  @Override
  protected List<Prompt> samplePrompts() {
    return List.of(
        new Prompt("a", TinyModels.image(1), "describe the image ."),
        new Prompt("b", TinyModels.image(2), "is there a red circle on the top left ?"));
  }
}
