package org.rlaifv.djl.model;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * Sizes of a LLaVA-style VLM, stored as {@code config.json} with the Hugging Face field names.
 *
 * <p>The decoder fields sit at the top level ({@code hidden_size}, {@code num_hidden_layers},
 * {@code num_attention_heads}, {@code num_key_value_heads}, {@code intermediate_size}, {@code
 * rms_norm_eps}, {@code rope_theta}, {@code vocab_size}, {@code max_position_embeddings}); the
 * vision encoder's under {@code vision_config}; the projector's are {@code projector_hidden_act}
 * (only {@code "gelu"}) and {@code vision_feature_layer} (which encoder layer feeds the projector,
 * negative counts from the end as in Hugging Face; -1 is the last layer).
 *
 * <pre>{@code
 * VlmConfig cfg = VlmConfig.read(Path.of("model/config.json"));
 * int imageTokens = cfg.numImageTokens();
 * }</pre>
 *
 * @param hiddenSize decoder width ({@code hidden_size})
 * @param numHiddenLayers decoder layers ({@code num_hidden_layers})
 * @param numAttentionHeads decoder query heads ({@code num_attention_heads})
 * @param numKeyValueHeads decoder key/value heads ({@code num_key_value_heads}), dividing the query
 *     heads
 * @param intermediateSize SwiGLU width ({@code intermediate_size})
 * @param rmsNormEps RMSNorm epsilon ({@code rms_norm_eps})
 * @param ropeTheta rotary base ({@code rope_theta})
 * @param vocabSize vocabulary size ({@code vocab_size})
 * @param maxPositionEmbeddings longest sequence the model accepts ({@code max_position_embeddings})
 * @param initializerRange standard deviation of random initialisation ({@code initializer_range})
 * @param visionConfig the vision encoder ({@code vision_config})
 * @param projectorHiddenAct projector activation ({@code projector_hidden_act}), {@code "gelu"}
 * @param visionFeatureLayer encoder layer whose output feeds the projector ({@code
 *     vision_feature_layer})
 */
public record VlmConfig(
    int hiddenSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int intermediateSize,
    double rmsNormEps,
    double ropeTheta,
    int vocabSize,
    int maxPositionEmbeddings,
    double initializerRange,
    VisionConfig visionConfig,
    String projectorHiddenAct,
    int visionFeatureLayer) {

  /** The file name of the config in a model directory. */
  public static final String FILE_NAME = "config.json";

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          // large enough for real tokenizer.json files and safetensors headers
                          .maxDocumentLength(SafeTensors.MAX_HEADER_BYTES)
                          .maxNestingDepth(64)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Validates the sizes.
   *
   * @throws ModelFormatException naming config.json and the field that is out of range
   */
  public VlmConfig {
    positive("hidden_size", hiddenSize);
    positive("num_hidden_layers", numHiddenLayers);
    positive("num_attention_heads", numAttentionHeads);
    positive("num_key_value_heads", numKeyValueHeads);
    positive("intermediate_size", intermediateSize);
    positive("vocab_size", vocabSize);
    positive("max_position_embeddings", maxPositionEmbeddings);
    positive("rms_norm_eps", rmsNormEps);
    positive("rope_theta", ropeTheta);
    positive("initializer_range", initializerRange);
    if (visionConfig == null) {
      throw new ModelFormatException(FILE_NAME + ": missing field vision_config");
    }
    if (hiddenSize % numAttentionHeads != 0) {
      throw bad("hidden_size (" + hiddenSize + ") must be divisible by num_attention_heads ("
          + numAttentionHeads + ")");
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw bad("num_attention_heads (" + numAttentionHeads
          + ") must be divisible by num_key_value_heads (" + numKeyValueHeads + ")");
    }
    if ((hiddenSize / numAttentionHeads) % 2 != 0) {
      throw bad("hidden_size / num_attention_heads must be even for rotary embeddings, got "
          + hiddenSize / numAttentionHeads);
    }
    if (!"gelu".equals(projectorHiddenAct)) {
      throw bad("projector_hidden_act must be \"gelu\", got " + projectorHiddenAct);
    }
    int vl = visionConfig.numHiddenLayers();
    if (visionFeatureLayer == 0 || visionFeatureLayer < -vl || visionFeatureLayer > vl) {
      throw bad("vision_feature_layer must be in [-" + vl + ", -1] or [1, " + vl + "], got "
          + visionFeatureLayer);
    }
  }

  /**
   * Creates a config with the usual defaults for the optional fields (rms_norm_eps 1e-6,
   * rope_theta 10000, initializer_range 0.02, gelu projector, last vision layer).
   *
   * @param hiddenSize decoder width
   * @param numHiddenLayers decoder layers
   * @param numAttentionHeads query heads
   * @param numKeyValueHeads key/value heads
   * @param intermediateSize SwiGLU width
   * @param vocabSize vocabulary size
   * @param maxPositionEmbeddings longest sequence
   * @param visionConfig the vision encoder
   * @return the config
   */
  public static VlmConfig of(
      int hiddenSize,
      int numHiddenLayers,
      int numAttentionHeads,
      int numKeyValueHeads,
      int intermediateSize,
      int vocabSize,
      int maxPositionEmbeddings,
      VisionConfig visionConfig) {
    return new VlmConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
        intermediateSize, 1e-6, 10000, vocabSize, maxPositionEmbeddings, 0.02, visionConfig,
        "gelu", -1);
  }

  /**
   * Returns the width of one attention head.
   *
   * @return hidden_size / num_attention_heads
   */
  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /**
   * Returns how many positions one image occupies in the decoder's sequence.
   *
   * @return (image_size / patch_size)^2
   */
  public int numImageTokens() {
    return visionConfig.numPatches();
  }

  /**
   * Returns the number of vision encoder layers run before the projector.
   *
   * @return layers used, from 1 to vision num_hidden_layers
   */
  public int visionLayersUsed() {
    return visionFeatureLayer > 0
        ? visionFeatureLayer
        : visionConfig.numHiddenLayers() + 1 + visionFeatureLayer;
  }

  /**
   * Returns a copy with another vocabulary size.
   *
   * @param newVocabSize the vocabulary size
   * @return the new config
   */
  public VlmConfig withVocabSize(int newVocabSize) {
    return new VlmConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
        intermediateSize, rmsNormEps, ropeTheta, newVocabSize, maxPositionEmbeddings,
        initializerRange, visionConfig, projectorHiddenAct, visionFeatureLayer);
  }

  /**
   * Reads and validates a config.json.
   *
   * @param file the config file
   * @return the config
   * @throws ModelFormatException naming the file and the field when it is missing, malformed or
   *     out of range
   */
  public static VlmConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (ModelFormatException e) {
      throw new ModelFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Builds a config from a parsed config.json tree.
   *
   * @param root the JSON object
   * @return the config
   * @throws ModelFormatException naming the field when it is missing or malformed
   */
  public static VlmConfig fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(FILE_NAME + ": expected a JSON object");
    }
    JsonNode v = root.get("vision_config");
    if (v == null || !v.isObject()) {
      throw new ModelFormatException(FILE_NAME + ": missing object field vision_config");
    }
    VisionConfig vision =
        new VisionConfig(
            reqInt(v, "vision_config.image_size"),
            reqInt(v, "vision_config.patch_size"),
            reqInt(v, "vision_config.hidden_size"),
            reqInt(v, "vision_config.num_hidden_layers"),
            reqInt(v, "vision_config.num_attention_heads"),
            reqInt(v, "vision_config.intermediate_size"),
            optDouble(v, "vision_config.layer_norm_eps", 1e-5));
    int heads = reqInt(root, "num_attention_heads");
    return new VlmConfig(
        reqInt(root, "hidden_size"),
        reqInt(root, "num_hidden_layers"),
        heads,
        root.has("num_key_value_heads") ? reqInt(root, "num_key_value_heads") : heads,
        reqInt(root, "intermediate_size"),
        optDouble(root, "rms_norm_eps", 1e-6),
        optDouble(root, "rope_theta", 10000),
        reqInt(root, "vocab_size"),
        reqInt(root, "max_position_embeddings"),
        optDouble(root, "initializer_range", 0.02),
        vision,
        root.has("projector_hidden_act") ? root.get("projector_hidden_act").asText() : "gelu",
        root.has("vision_feature_layer") ? reqInt(root, "vision_feature_layer") : -1);
  }

  /**
   * Returns the config as a config.json tree.
   *
   * @return a new JSON object
   */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("model_type", "llava");
    root.putArray("architectures").add("LlavaForConditionalGeneration");
    root.put("hidden_size", hiddenSize);
    root.put("num_hidden_layers", numHiddenLayers);
    root.put("num_attention_heads", numAttentionHeads);
    root.put("num_key_value_heads", numKeyValueHeads);
    root.put("intermediate_size", intermediateSize);
    root.put("rms_norm_eps", rmsNormEps);
    root.put("rope_theta", ropeTheta);
    root.put("vocab_size", vocabSize);
    root.put("max_position_embeddings", maxPositionEmbeddings);
    root.put("initializer_range", initializerRange);
    root.put("hidden_act", "silu");
    root.put("projector_hidden_act", projectorHiddenAct);
    root.put("vision_feature_layer", visionFeatureLayer);
    root.put("vision_feature_select_strategy", "full");
    root.put("torch_dtype", "float32");
    ObjectNode v = root.putObject("vision_config");
    v.put("model_type", "clip_vision_model");
    v.put("image_size", visionConfig.imageSize());
    v.put("patch_size", visionConfig.patchSize());
    v.put("hidden_size", visionConfig.hiddenSize());
    v.put("num_hidden_layers", visionConfig.numHiddenLayers());
    v.put("num_attention_heads", visionConfig.numAttentionHeads());
    v.put("intermediate_size", visionConfig.intermediateSize());
    v.put("layer_norm_eps", visionConfig.layerNormEps());
    v.put("hidden_act", "quick_gelu");
    return root;
  }

  /**
   * Writes the config as JSON (to a temp file, then an atomic rename).
   *
   * @param file the destination
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFiles.write(file, JSON.writeValueAsBytes(toJson()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  static ObjectMapper json() {
    return JSON;
  }

  private static int reqInt(JsonNode node, String path) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      throw new ModelFormatException(FILE_NAME + ": missing field " + path);
    }
    if (!f.canConvertToInt() || !f.isIntegralNumber()) {
      throw new ModelFormatException(FILE_NAME + ": field " + path + " must be an integer, got " + f);
    }
    return f.intValue();
  }

  private static double optDouble(JsonNode node, String path, double dflt) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      return dflt;
    }
    if (!f.isNumber()) {
      throw new ModelFormatException(FILE_NAME + ": field " + path + " must be a number, got " + f);
    }
    return f.doubleValue();
  }

  private static void positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw bad(field + " must be positive, got " + value);
    }
  }

  private static ModelFormatException bad(String what) {
    return new ModelFormatException(FILE_NAME + ": " + what);
  }

  /**
   * The vision encoder's sizes ({@code vision_config}, CLIP field names).
   *
   * @param imageSize input side in pixels ({@code image_size}); images are resized to it
   * @param patchSize patch side in pixels ({@code patch_size}), dividing the image size
   * @param hiddenSize encoder width ({@code hidden_size})
   * @param numHiddenLayers encoder layers ({@code num_hidden_layers})
   * @param numAttentionHeads encoder heads ({@code num_attention_heads})
   * @param intermediateSize encoder MLP width ({@code intermediate_size})
   * @param layerNormEps LayerNorm epsilon ({@code layer_norm_eps})
   */
  public record VisionConfig(
      int imageSize,
      int patchSize,
      int hiddenSize,
      int numHiddenLayers,
      int numAttentionHeads,
      int intermediateSize,
      double layerNormEps) {

    /**
     * Validates the sizes.
     *
     * @throws ModelFormatException naming config.json and the vision_config field out of range
     */
    public VisionConfig {
      positive("vision_config.image_size", imageSize);
      positive("vision_config.patch_size", patchSize);
      positive("vision_config.hidden_size", hiddenSize);
      positive("vision_config.num_hidden_layers", numHiddenLayers);
      positive("vision_config.num_attention_heads", numAttentionHeads);
      positive("vision_config.intermediate_size", intermediateSize);
      positive("vision_config.layer_norm_eps", layerNormEps);
      if (imageSize % patchSize != 0) {
        throw bad("vision_config.image_size (" + imageSize
            + ") must be divisible by vision_config.patch_size (" + patchSize + ")");
      }
      if (hiddenSize % numAttentionHeads != 0) {
        throw bad("vision_config.hidden_size (" + hiddenSize
            + ") must be divisible by vision_config.num_attention_heads (" + numAttentionHeads
            + ")");
      }
    }

    /**
     * Creates a vision config with LayerNorm epsilon 1e-5.
     *
     * @param imageSize image side in pixels
     * @param patchSize patch side in pixels
     * @param hiddenSize encoder width
     * @param numHiddenLayers encoder layers
     * @param numAttentionHeads encoder heads
     * @param intermediateSize encoder MLP width
     * @return the config
     */
    public static VisionConfig of(int imageSize, int patchSize, int hiddenSize,
        int numHiddenLayers, int numAttentionHeads, int intermediateSize) {
      return new VisionConfig(imageSize, patchSize, hiddenSize, numHiddenLayers,
          numAttentionHeads, intermediateSize, 1e-5);
    }

    /**
     * Returns the number of patches (image tokens) per image.
     *
     * @return (image_size / patch_size)^2
     */
    public int numPatches() {
      int g = imageSize / patchSize;
      return g * g;
    }
  }
}
