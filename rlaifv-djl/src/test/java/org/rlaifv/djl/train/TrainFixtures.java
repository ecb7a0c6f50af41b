package org.rlaifv.djl.train;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;

/** Tiny random VLMs, solid-colour images and fixed preference pairs for the trainer tests. */
final class TrainFixtures {
  private TrainFixtures() {}

  static final List<String> WORDS =
      List.of("there", "is", "a", "red", "green", "blue", "yellow", "circle", "square", "triangle",
          "on", "the", "left", "right", ".", "USER", ":", "ASSISTANT", "describe", "image");

  static final String PROMPT = "describe the image .";

  /**
   * Runs PyTorch's CPU ops on one thread. Tiny models gain nothing from intra-op threads, and on a
   * shared, loaded machine OpenMP's spinning threads make each op orders of magnitude slower.
   */
  static void oneThread() {
    ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library
    ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
  }

  /** 16x16 images, 8x8 patches (4 image tokens), 2 decoder layers of width 32. */
  static VlmConfig config(int vocab) {
    return VlmConfig.of(32, 2, 4, 2, 64, vocab, 128, VlmConfig.VisionConfig.of(16, 8, 16, 1, 2, 32));
  }

  /** Creates a random tiny model (tokenizer written under {@code dir}). */
  static LoadedVlm create(Path dir, long seed) {
    Path tok = dir.resolve("tokenizer-src.json");
    int vocab = TokenizerFiles.writeWordLevel(tok, WORDS);
    return LoadedVlm.create(config(vocab), seed, tok, PromptFormat.defaults(), Device.cpu());
  }

  /** Writes a random tiny model directory and returns it. */
  static Path saveModel(Path dir, String name, long seed) {
    Path out = dir.resolve(name);
    try (LoadedVlm vlm = create(dir, seed)) {
      vlm.save(out);
    }
    return out;
  }

  /** A 16x16 image of one colour (0 red, 1 green, 2 blue, 3 yellow). */
  static Image solid(int colour) {
    int[][] rgb = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 0}};
    byte[] px = new byte[16 * 16 * 3];
    for (int i = 0; i < 16 * 16; i++) {
      for (int c = 0; c < 3; c++) {
        px[3 * i + c] = (byte) rgb[colour][c];
      }
    }
    return new Image(16, 16, px);
  }

  static final String[] COLOURS = {"red", "green", "blue", "yellow"};

  /** Pairs: for image colour k, chosen "there is a k circle ." and rejected a wrong colour. */
  static List<PreferencePair> pairs(int n) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int colour = i % 4;
      Prompt p = new Prompt("p" + i, solid(colour), PROMPT);
      String shape = i % 2 == 0 ? "circle" : "square";
      Response good = new Response(p.id(), 0, "there is a " + COLOURS[colour] + " " + shape + " .", 100 + i, 0);
      Response bad =
          new Response(p.id(), 1, "there is a " + COLOURS[(colour + 1) % 4] + " triangle on the left .", 200 + i, 0);
      out.add(new PreferencePair(p, new ScoredResponse(good, List.<ClaimVerdict>of()),
          new ScoredResponse(bad, List.<ClaimVerdict>of())));
    }
    return out;
  }
}
