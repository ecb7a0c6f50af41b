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
 * under {@code text_config}, in the earlier flat form at the top level; the vision tower's sit
 * under {@code vision_config} in both, and {@code image_token_index} at the top level.
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
 * @param vocabSize the vocabulary size ({@code vocab_size})
 * @param imageSize the side images are resized to ({@code vision_config.image_size})
 * @param patchSize the vision tower's patch side ({@code vision_config.patch_size})
 * @param imageTokenIndex the image placeholder's id ({@code image_token_index}, else {@code
 *     image_token_id}), or -1 when the config names none
 */
record OrtConfig(
    int hiddenSize,
    int layers,
    int heads,
    int kvHeads,
    int vocabSize,
    int imageSize,
    int patchSize,
    long imageTokenIndex) {
  /** File name of the model config. */
  static final String FILE_NAME = "config.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Checks that every size is positive. */
  OrtConfig {
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", layers);
    positive("num_attention_heads", heads);
    positive("num_key_value_heads", kvHeads);
    positive("vocab_size", vocabSize);
    positive("vision_config.image_size", imageSize);
    positive("vision_config.patch_size", patchSize);
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
   * Builds a config from a parsed config.json, nested or flat.
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
    int kvHeads = text.has("num_key_value_heads") ? intField(text, "num_key_value_heads") : heads;
    int vocab = intField(text, "vocab_size");
    long imageTokenIndex =
        root.path("image_token_index").asLong(root.path("image_token_id").asLong(-1));
    JsonNode vision = root.path("vision_config");
    return new OrtConfig(
        hidden,
        layers,
        heads,
        kvHeads,
        vocab,
        intField(vision, "image_size"),
        intField(vision, "patch_size"),
        imageTokenIndex);
  }

  /**
   * Returns the width of one attention head.
   *
   * @return {@code hiddenSize / heads}
   */
  int headDim() {
    return hiddenSize / heads;
  }

  /**
   * Returns the number of decoder positions one image occupies.
   *
   * @return {@code (imageSize / patchSize)^2}
   */
  int imageTokens() {
    int side = imageSize / patchSize;
    return side * side;
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
