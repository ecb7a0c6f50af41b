package org.rlaifv.examples.shapes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.VlmConfig;

/**
 * The sizes, prompt format and file locations of the two ShapesWorld models (policy and labeler).
 *
 * <p>Both read 32x32 images in 16x16 patches: the scene grid is 2x2 with one object per cell, so
 * every patch holds at most one object, which makes grounding learnable in minutes on a CPU.
 */
public final class ShapesModels {

  /** Directory name of the policy under the models directory. */
  public static final String POLICY = "shapes-policy";

  /** Directory name of the labeler under the models directory. */
  public static final String LABELER = "shapes-labeler";

  /** The chat template both models use. */
  public static final PromptFormat FORMAT = PromptFormat.withTemplate("<image> USER : {prompt} ASSISTANT :");

  /** Longest response the policy writes, in tokens (4 objects plus flaws fit easily). */
  public static final int MAX_NEW_TOKENS = 64;

  private ShapesModels() {}

  /**
   * Returns the tokenizer vocabulary: every word of the world plus the template's words.
   *
   * @param world the world
   * @return the words, the world's first
   */
  public static List<String> vocabulary(ShapesWorld world) {
    List<String> v = new ArrayList<>(world.vocabulary());
    for (String w : List.of("USER", "ASSISTANT", ":")) {
      if (!v.contains(w)) {
        v.add(w);
      }
    }
    return v;
  }

  /**
   * Returns the policy's sizes: a 3-layer decoder of width 64 over a 1-layer patch encoder. The
   * labeler has the same sizes: it is fine-tuned from the SFT policy.
   *
   * @param vocabSize the tokenizer's vocabulary size
   * @return the config
   */
  public static VlmConfig policyConfig(int vocabSize) {
    return VlmConfig.of(64, 3, 4, 4, 128, vocabSize, 128,
        VlmConfig.VisionConfig.of(32, 16, 64, 1, 4, 128));
  }


  /**
   * Returns the models directory to use: the given one, else {@code examples/models} when run from
   * the repository root, else {@code models} (run from the examples module).
   *
   * @param given the --models option, or null
   * @return the directory
   */
  public static Path modelsDirectory(String given) {
    if (given != null) {
      return Path.of(given);
    }
    Path fromRoot = Path.of("examples", "models");
    return Files.isDirectory(fromRoot) ? fromRoot : Path.of("models");
  }
}
