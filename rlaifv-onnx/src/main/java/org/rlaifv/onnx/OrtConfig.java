package org.rlaifv.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * The sizes of an exported model that its graphs are checked against and its runs are shaped by,
 * read from the export's {@value #FILE_NAME}: in transformers' nested form the decoder's fields sit
 * under {@code text_config}, in the earlier flat form (and in a text-only causal LM's config) at
 * the top level; the vision tower's sit under {@code vision_config}, absent for a text-only LM,
 * and {@code image_token_index} and {@code image_seq_length} at the top level.
 *
 * <pre>{@code
 * OrtConfig config = OrtConfig.read(dir.resolve(OrtConfig.FILE_NAME));
 * int perImage = config.imageTokens();
 * }</pre>
 *
 * @param hiddenSize the decoder width ({@code hidden_size})
 * @param layers decoder layers ({@code num_hidden_layers})
 * @param heads query heads ({@code num_attention_heads})
 * @param kvHeads key/value heads ({@code num_key_value_heads}, else {@code heads})
 * @param headDim the width of one attention head ({@code head_dim}, else {@code hiddenSize /
 *     heads})
 * @param vocabSize the vocabulary size ({@code vocab_size})
 * @param maxPositions the longest sequence ({@code max_position_embeddings}, else unbounded)
 * @param imageSize the side images are resized to ({@code vision_config.image_size}), 0 for a
 *     text-only model
 * @param patchSize the vision tower's patch side ({@code vision_config.patch_size}), 0 for a
 *     text-only model
 * @param imageTokens decoder positions per image ({@code image_seq_length}, which the exporter
 *     writes; else {@code (imageSize / patchSize)^2}), 0 for a text-only model
 * @param imageTokenIndex the image placeholder's id ({@code image_token_index}, else {@code
 *     image_token_id}), or -1 when the config names none
 */
record OrtConfig(
    int hiddenSize,
    int layers,
    int heads,
    int kvHeads,
    int headDim,
    int vocabSize,
    int maxPositions,
    int imageSize,
    int patchSize,
    int imageTokens,
    long imageTokenIndex) {
  /** File name of the model config. */
  static final String FILE_NAME = "config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks that every size is positive (the vision sizes all zero for a text-only model). */
  OrtConfig {
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", layers);
    positive("num_attention_heads", heads);
    positive("num_key_value_heads", kvHeads);
    positive("head_dim", headDim);
    positive("vocab_size", vocabSize);
    positive("max_position_embeddings", maxPositions);
    if (imageSize != 0 || patchSize != 0 || imageTokens != 0) {
      positive("vision_config.image_size", imageSize);
      positive("vision_config.patch_size", patchSize);
      positive("image_seq_length", imageTokens);
    }
  }

  /**
   * A vision-language config with the default head width, no position limit and one feature per
   * patch.
   */
  OrtConfig(
      int hiddenSize,
      int layers,
      int heads,
      int kvHeads,
      int vocabSize,
      int imageSize,
      int patchSize,
      long imageTokenIndex) {
    this(hiddenSize, layers, heads, kvHeads, hiddenSize / Math.max(1, heads), vocabSize,
        Integer.MAX_VALUE, imageSize, patchSize, patches(imageSize, patchSize), imageTokenIndex);
  }

  private static int patches(int imageSize, int patchSize) {
    int side = patchSize > 0 ? imageSize / patchSize : 0;
    return side * side;
  }

  /**
   * Reads a config file.
   *
   * @param file the export's config.json
   * @return the config
   * @throws ModelFormatException naming the file when it cannot be read, or the field that is
   *     missing or not a positive integer
   */
  static OrtConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return fromJson(root);
  }

  /**
   * Builds a config from a parsed config.json, nested or flat, with or without a vision tower.
   *
   * @param root the JSON object
   * @return the config
   * @throws ModelFormatException naming the field that is missing or not a positive integer
   */
  static OrtConfig fromJson(JsonNode root) {
    JsonNode text = root.path("text_config").isObject() ? root.get("text_config") : root;
    int hidden = intField(text, "hidden_size");
    int layers = intField(text, "num_hidden_layers");
    int heads = intField(text, "num_attention_heads");
    int kvHeads = optIntField(text, "num_key_value_heads", heads);
    int headDim = optIntField(text, "head_dim", hidden / heads);
    int vocab = intField(text, "vocab_size");
    int maxPositions = optIntField(text, "max_position_embeddings", Integer.MAX_VALUE);
    long imageTokenIndex =
        root.path("image_token_index").asLong(root.path("image_token_id").asLong(-1));
    JsonNode vision = root.path("vision_config");
    if (!vision.isObject()) {
      return new OrtConfig(
          hidden, layers, heads, kvHeads, headDim, vocab, maxPositions, 0, 0, 0, imageTokenIndex);
    }
    int imageSize = intField(vision, "image_size");
    int patchSize = intField(vision, "patch_size");
    return new OrtConfig(
        hidden,
        layers,
        heads,
        kvHeads,
        headDim,
        vocab,
        maxPositions,
        imageSize,
        patchSize,
        optIntField(root, "image_seq_length", patches(imageSize, patchSize)),
        imageTokenIndex);
  }

  /**
   * Whether the model has a vision tower (a LLaVA export rather than a text-only LM).
   *
   * @return true when {@code vision_config} is present
   */
  boolean hasVision() {
    return imageSize > 0;
  }

  private static int optIntField(JsonNode node, String name, int dflt) {
    JsonNode f = node.get(name);
    return f == null || f.isNull() ? dflt : intField(node, name);
  }

  private static int intField(JsonNode node, String name) {
    JsonNode f = node.get(name);
    if (f == null || !f.isIntegralNumber() || f.intValue() <= 0) {
      throw new ModelFormatException(
          FILE_NAME + ": field " + name + " must be a positive integer, got " + f);
    }
    return f.intValue();
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new ModelFormatException(
          FILE_NAME + ": field " + field + " must be a positive integer, got " + value);
    }
  }
}
