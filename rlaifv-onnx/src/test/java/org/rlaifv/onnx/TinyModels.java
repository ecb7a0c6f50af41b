package org.rlaifv.onnx;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;

/** Tiny random VLMs saved as DJL model directories and exported to ONNX, for tests. */
final class TinyModels {
  static final List<String> WORDS =
      List.of(
          "there", "is", "a", "red", "green", "blue", "yellow", "circle", "square", "triangle",
          "cross", "on", "the", "top", "bottom", "left", "right", ".", "?", "describe", "image",
          "USER", ":", "ASSISTANT", "Please", "answer", "yes", "or", "no", "Yes", "No");

  private TinyModels() {}

  /** A ShapesWorld-sized config: 32x32 images in 16x16 patches (4 image tokens). */
  static VlmConfig config(int vocab, int hidden, int layers) {
    VlmConfig.VisionConfig vision = new VlmConfig.VisionConfig(32, 16, 32, 2, 2, 64, 1e-5);
    return new VlmConfig(
        hidden, layers, 4, 2, 2 * hidden, 1e-6, 10000, vocab, 256, 0.15, vision, "gelu", -1);
  }

  /** Writes a DJL model directory with random weights; returns it. */
  static Path djlModel(Path root, long seed, int hidden, int layers) throws Exception {
    return djlModel(root, seed, v -> config(v, hidden, layers));
  }

  /** Writes a DJL model directory with random weights and a config made for the vocabulary. */
  static Path djlModel(Path root, long seed, java.util.function.IntFunction<VlmConfig> config)
      throws Exception {
    return djlModel(root, seed, config, PromptFormat.defaults());
  }

  /** Writes a DJL model directory with random weights, a config and a prompt format. */
  static Path djlModel(
      Path root, long seed, java.util.function.IntFunction<VlmConfig> config, PromptFormat format)
      throws Exception {
    Path dir = root.resolve("djl-" + seed);
    Files.createDirectories(dir);
    Path tok = root.resolve("tokenizer-" + seed + ".json");
    int vocab = TokenizerFiles.writeWordLevel(tok, WORDS);
    try (LoadedVlm m =
        LoadedVlm.create(config.apply(vocab), seed, tok, format, Device.cpu())) {
      m.save(dir);
    }
    return dir;
  }

  /** Writes a DJL model directory and its ONNX export; returns the export directory. */
  static Path exported(Path djlDir) {
    Path out = djlDir.resolveSibling(djlDir.getFileName() + "-onnx");
    OnnxExporter.export(djlDir, out);
    return out;
  }

  /** Copies an export's files into a new directory, leaving out the named ones; returns it. */
  static Path copyExport(Path export, Path to, String... leaveOut) throws Exception {
    Files.createDirectories(to);
    List<String> skip = List.of(leaveOut);
    try (var files = Files.list(export)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!skip.contains(f.getFileName().toString())) {
          Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  /** A deterministic 32x32 test image. */
  static Image image(int seed) {
    byte[] rgb = new byte[32 * 32 * 3];
    java.util.Random r = new java.util.Random(seed);
    r.nextBytes(rgb);
    return new Image(32, 32, rgb);
  }
}
