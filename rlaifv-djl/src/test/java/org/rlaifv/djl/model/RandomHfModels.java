package org.rlaifv.djl.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlaifv.djl.internal.bench.RandomCheckpoint;

/**
 * Writes random LLaVA directories in the newer hub key layout, stored BF16 and sharded (by {@link
 * RandomCheckpoint}), for load tests; no tokenizer files.
 */
final class RandomHfModels {
  private RandomHfModels() {}

  /** Qwen2-0.5B's text sizes with a small SigLIP tower: about 0.5B parameters. */
  static VlmConfig qwen05b() {
    VlmConfig.VisionConfig v =
        new VlmConfig.VisionConfig(32, 16, 64, 1, 4, 128, 1e-6,
            VlmConfig.VisionConfig.SIGLIP, "gelu_pytorch_tanh", false);
    return new VlmConfig(896, 24, 14, 2, 4864, 1e-6, 1e6, 151936, 32768, 0.02, v, "gelu", -1,
        "qwen2", 64, true, false, false, true, 0, "full", true, 151646, "silu");
  }

  /** Writes config.json and BF16 shards of about {@code shardBytes} with an index. */
  static void write(Path dir, VlmConfig config, long shardBytes) throws IOException {
    write(dir, config, shardBytes, true);
  }

  /**
   * Writes config.json and BF16 shards with an index; without data, only the headers (for tests
   * that must fail before any tensor is read).
   */
  static void write(Path dir, VlmConfig config, long shardBytes, boolean withData)
      throws IOException {
    Files.createDirectories(dir);
    config.write(dir.resolve(VlmConfig.FILE_NAME));
    Map<String, long[]> shapes = new LinkedHashMap<>();
    VlmModel.parameterShapes(config).forEach((k, v) -> shapes.put(newLayout(k), v));
    RandomCheckpoint.write(dir, shapes, shardBytes, 0x9E3779B97F4A7C15L, withData);
  }

  private static String newLayout(String canonical) {
    if (canonical.startsWith("language_model.model.")) {
      return "model.language_model." + canonical.substring("language_model.model.".length());
    }
    if (canonical.startsWith("language_model.lm_head")) {
      return canonical.substring("language_model.".length());
    }
    return "model." + canonical;
  }
}
