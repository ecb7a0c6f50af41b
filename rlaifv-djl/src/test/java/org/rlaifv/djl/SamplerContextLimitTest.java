package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.spi.BackendOptions;

/**
 * Sampling stops where the model's context ends (as generate() stops at max_length) instead of
 * failing, and a prompt that leaves no room for a response is refused naming the prompt.
 */
class SamplerContextLimitTest {
  @TempDir Path dir;

  private LoadedVlm model(int maxPositions) {
    Path tok = dir.resolve("tokenizer.json");
    int vocab = TokenizerFiles.writeWordLevel(tok, TinyVlms.WORDS);
    VlmConfig cfg =
        VlmConfig.of(32, 2, 4, 2, 64, vocab, maxPositions, VlmConfig.VisionConfig.of(16, 8, 16, 2, 2, 32));
    return LoadedVlm.create(cfg, 5, tok, PromptFormat.defaults(), Device.cpu());
  }

  @Test
  void generationEndsAtTheContextLimit() {
    try (DjlResponseSampler s = new DjlResponseSampler(model(24), BackendOptions.defaults(), true)) {
      Prompt p = new Prompt("p", TinyVlms.image(1, 16), "describe the image .");
      List<Response> r =
          s.sample(p, SamplingParams.builder().n(3).temperature(1.5).maxNewTokens(500).build());
      assertEquals(3, r.size());
      for (Response x : r) {
        assertTrue(x.text().split(" ").length <= 24, x.text());
      }
    }
  }

  @Test
  void aPromptThatFillsTheContextIsRefusedByName() {
    try (DjlResponseSampler s = new DjlResponseSampler(model(12), BackendOptions.defaults(), true)) {
      Prompt p = new Prompt("long-one", TinyVlms.image(1, 16), "describe the image . describe the image .");
      InvalidInputException e =
          assertThrows(InvalidInputException.class,
              () -> s.sample(p, SamplingParams.builder().n(1).maxNewTokens(4).build()));
      assertTrue(e.getMessage().contains("long-one") && e.getMessage().contains("max_position_embeddings 12"),
          e.getMessage());
    }
  }
}
