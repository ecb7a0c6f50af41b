package org.rlaifv.djl;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.rlaifv.Image;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;

/** Tiny random models and ShapesWorld-like vocabulary for tests. */
public final class TinyVlms {
  private TinyVlms() {}

  /** Words of a small scene vocabulary. */
  public static final List<String> WORDS =
      List.of("there", "is", "a", "an", "red", "green", "blue", "yellow", "circle", "square",
          "triangle", "cross", "on", "the", "top", "bottom", "left", "right", ".", "?", ",", "yes",
          "Yes", "no", "No", "USER", ":", "ASSISTANT", "Please", "answer", "or", "describe",
          "image", "Is", "in", "of", "and", "Describe");

  /** A tiny config: 16x16 images, 8x8 patches (4 image tokens), 2 decoder layers, GQA. */
  public static VlmConfig tinyConfig(int vocab) {
    return VlmConfig.of(32, 2, 4, 2, 64, vocab, 512, VlmConfig.VisionConfig.of(16, 8, 16, 2, 2, 32));
  }

  /** Writes the tokenizer and creates a random tiny model. */
  public static LoadedVlm create(Path dir, long seed) {
    Path tok = dir.resolve("tokenizer.json");
    int vocab = TokenizerFiles.writeWordLevel(tok, WORDS);
    return LoadedVlm.create(tinyConfig(vocab), seed, tok, PromptFormat.defaults(), Device.cpu());
  }

  /** A random image. */
  public static Image image(long seed, int side) {
    Random r = new Random(seed);
    byte[] px = new byte[side * side * 3];
    r.nextBytes(px);
    return new Image(side, side, px);
  }
}
