package org.rlaifv.djl;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rlaifv.Checkpoint;
import org.rlaifv.Image;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.djl.model.HfGoldenCases;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.ResponseSamplerContract;

/**
 * Runs the sampler contract against the djl backend's sampler opened on a Hugging Face LLaVA
 * directory (the {@code llava-clip-llama} golden model: sentencepiece tokenizer, chat template,
 * image processor). Batches of two rows split the three samples of a prompt over two decoding
 * batches.
 */
class HfResponseSamplerContractTest extends ResponseSamplerContract {
  private static Path dir;
  private static ResponseSampler sampler;

  @BeforeAll
  static void open() throws Exception {
    dir = HfGoldenCases.dir("llava-clip-llama");
    sampler = new DjlBackendProvider().newSampler(Checkpoint.of(dir), BackendOptions.defaults().withBatchSize(2));
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
    Image image = Image.fromFile(dir.resolve("image.png"));
    return List.of(
        new Prompt("describe", image, "Describe the image."),
        new Prompt("left", image, "What is on the left of the picture?"));
  }
}
