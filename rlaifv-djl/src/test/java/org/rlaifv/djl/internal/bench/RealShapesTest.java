package org.rlaifv.djl.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.VlmModel;

/** The real-shapes directories open as Hugging Face directories; the FLOP and byte counts. */
class RealShapesTest {

  @Test
  void quickDirectoriesOpenAndAreReused(@TempDir Path tmp) throws Exception {
    RealShapes.Spec spec = RealShapes.quick();
    Path vlm = RealShapes.writeVlm(spec, tmp.resolve("vlm"));
    Path text = RealShapes.writeTextLm(spec, tmp.resolve("text"));
    try (LoadedVlm m = LoadedVlm.load(vlm, Device.cpu())) {
      // 64 / 14 leaves a remainder: 4 x 4 patches, as the patch convolution computes them
      assertEquals(16, m.model().config().numImageTokens());
      assertEquals(spec.vlm().vocabSize() - 1, m.tokenizer().imageId());
      long[] ids = m.promptIds("is there a red circle ?");
      assertEquals(ids.length - 1 + 16, RealShapes.promptTokens(vlm, 16, "is there a red circle ?"));
      assertTrue(m.renderPrompt("x").startsWith("<|im_start|>user <image>"), m.renderPrompt("x"));
    }
    try (LoadedCausalLm lm = LoadedCausalLm.load(text, Device.cpu())) {
      assertEquals(spec.vlm().vocabSize(), lm.model().config().vocabSize());
      assertTrue(lm.renderPrompt("hi").startsWith("<|im_start|>system"), lm.renderPrompt("hi"));
    }
    Path shard = vlm.resolve("model-00001-of-00001.safetensors");
    FileTime before = Files.getLastModifiedTime(shard);
    byte[] bytes = Files.readAllBytes(shard);
    Thread.sleep(20);
    RealShapes.writeVlm(spec, vlm);
    assertEquals(before, Files.getLastModifiedTime(shard), "a finished directory is reused");
    Path again = RealShapes.writeVlm(spec, tmp.resolve("again"));
    assertTrue(java.util.Arrays.equals(bytes,
        Files.readAllBytes(again.resolve("model-00001-of-00001.safetensors"))), "deterministic");
  }

  @Test
  void fullShapesAreThoseOfLlavaInterleaveQwen() {
    VlmConfig c = RealShapes.full().vlm();
    assertEquals(729, c.numImageTokens());
    long params = 0;
    for (long[] s : VlmModel.parameterShapes(c).values()) {
      long n = 1;
      for (long d : s) {
        n *= d;
      }
      params += n;
    }
    // SigLIP so400m without its pooling head and post-norm, which LLaVA does not use: 413.0M;
    // projector 2.2M; Qwen2-0.5B with a 151,646-token vocabulary: 463.7M
    assertEquals(878.9e6, params, 0.1e6);
  }

  @Test
  void decoderFlopsAreTwicePerWeightPerTokenPlusAttention() {
    VlmConfig c = RealShapes.full().vlm();
    double layerWeights = 4.0 * 1024 * 1024 + 3.0 * 1024 * 2816;
    double t = 100;
    double expected = 24 * (2 * t * layerWeights + 2 * 2 * 1024 * t * (t + 1) / 2)
        + 2 * 1024 * 151_646.0;
    assertEquals(expected, RealShapes.decoderFlops(c, t, 0, 1), expected * 1e-12);
  }

  @Test
  void decodeStepReadsTheWeightsOnceAndTheCache() {
    VlmConfig c = RealShapes.full().vlm();
    double layers = 24 * (4.0 * 1024 * 1024 + 3 * 1024 + 3.0 * 1024 * 2816 + 2 * 1024);
    double weights = layers + 1024 + 151_646.0 * 1024 + 8 * 1024;
    double kv = 2.0 * 24 * 1024 * (750 + 8 * 20);
    assertEquals(4 * (weights + kv), RealShapes.decodeStepBytes(c, 8, 750, 20), 1);
  }
}
