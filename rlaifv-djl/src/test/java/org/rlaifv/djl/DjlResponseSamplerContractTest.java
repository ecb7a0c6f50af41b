package org.rlaifv.djl;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.ResponseSamplerContract;

/**
 * Runs the sampler contract against {@link DjlResponseSampler} over a tiny random model. Batches
 * of six rows put two prompts of different lengths (three samples each) in one right-padded
 * prefill and one decoding batch, so the order and seed checks also cover the padding and the
 * shared prefix.
 */
class DjlResponseSamplerContractTest extends ResponseSamplerContract {
  @TempDir static Path dir;
  private static LoadedVlm vlm;
  private static DjlResponseSampler sampler;

  @BeforeAll
  static void open() {
    vlm = TinyVlms.create(dir, 41);
    sampler = new DjlResponseSampler(vlm, BackendOptions.defaults().withBatchSize(6), false);
  }

  @AfterAll
  static void close() {
    if (sampler != null) {
      sampler.close();
    }
    if (vlm != null) {
      vlm.close();
    }
  }

  @Override
  protected ResponseSampler sampler() {
    return sampler;
  }

  @Override
  protected List<Prompt> samplePrompts() {
    return List.of(
        new Prompt("a", TinyVlms.image(11, 16), "describe the image ."),
        new Prompt("b", TinyVlms.image(12, 16), "is there a red circle on the top left of the image ?"),
        new Prompt("c", TinyVlms.image(13, 16), "describe ."));
  }
}
