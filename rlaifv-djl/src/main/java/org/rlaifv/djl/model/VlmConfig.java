package org.rlaifv.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.rlaifv.ModelFormatException;

/**
 * Sizes and variants of a LLaVA-family VLM ({@code LlavaForConditionalGeneration}), read from and
 * written to {@code config.json} exactly as Hugging Face transformers writes it.
 *
 * <p>The text model sits under {@code text_config} ({@code model_type} {@code llama}, {@code
 * mistral} or {@code qwen2}), the vision tower under {@code vision_config} ({@code
 * clip_vision_model} or {@code siglip_vision_model}); the top level holds {@code
 * image_token_index}, {@code projector_hidden_act}, {@code multimodal_projector_bias}, {@code
 * vision_feature_layer} and {@code vision_feature_select_strategy}. A field that is absent takes the
 * default transformers gives it for that model type. A flat config (decoder fields at the top
 * level, as earlier versions of this SDK wrote) still reads. Every field either takes effect or is
 * refused with a message naming the file and the field.
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
 * @param vocabSize vocabulary size ({@code vocab_size}), the rows of the embedding and LM head
 * @param maxPositionEmbeddings longest sequence the model accepts ({@code max_position_embeddings})
 * @param initializerRange standard deviation of random initialisation ({@code initializer_range})
 * @param visionConfig the vision tower ({@code vision_config})
 * @param projectorHiddenAct projector activation ({@code projector_hidden_act})
 * @param visionFeatureLayer index into the vision tower's hidden states (embeddings first) whose
 *     output feeds the projector ({@code vision_feature_layer}); negative counts from the end
 * @param textModelType {@code llama}, {@code mistral} or {@code qwen2}
 * @param headDim width of one attention head ({@code head_dim}, default hidden / heads)
 * @param attentionBias whether q/k/v projections have biases (Qwen2 always; Llama's {@code
 *     attention_bias})
 * @param outputBias whether the attention output projection has a bias (Llama's {@code
 *     attention_bias})
 * @param mlpBias whether the MLP projections have biases (Llama's {@code mlp_bias})
 * @param tieWordEmbeddings whether the LM head reuses the token embedding ({@code
 *     tie_word_embeddings})
 * @param slidingWindow attention window of the text model, 0 for none ({@code sliding_window})
 * @param visionFeatureSelectStrategy {@code default} (drop the first feature) or {@code full}
 * @param projectorBias whether the projector's linears have biases ({@code
 *     multimodal_projector_bias})
 * @param imageTokenIndex the image placeholder's token id ({@code image_token_index}), -1 unknown
 * @param hiddenAct text MLP activation ({@code hidden_act}; {@code silu})
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
    int visionFeatureLayer,
    String textModelType,
    int headDim,
    boolean attentionBias,
    boolean outputBias,
    boolean mlpBias,
    boolean tieWordEmbeddings,
    int slidingWindow,
    String visionFeatureSelectStrategy,
    boolean projectorBias,
    long imageTokenIndex,
    String hiddenAct) {

  /** The file name of the config in a model directory. */
  public static final String FILE_NAME = "config.json";

  /** Text model types this SDK runs. */
  public static final Set<String> TEXT_MODEL_TYPES = Set.of("llama", "mistral", "qwen2");

  /** Activations accepted for the projector and the vision tower. */
  public static final Set<String> ACTIVATIONS =
      Set.of("gelu", "quick_gelu", "gelu_pytorch_tanh", "gelu_new", "silu", "relu");

  // the SDK's one mapper configuration (read limits that admit published tokenizer.json files
  // and safetensors headers), indented output
  private static final ObjectMapper JSON = org.rlaifv.core.io.Json.newMapper(true);

  /**
   * Validates the sizes and variants.
   *
   * @throws ModelFormatException naming config.json and the field that is out of range
   */
  public VlmConfig {
    TextConfig.check("text_config.", textModelType, hiddenSize, numHiddenLayers,
        numAttentionHeads, numKeyValueHeads, intermediateSize, rmsNormEps, ropeTheta, vocabSize,
        maxPositionEmbeddings, initializerRange, headDim, slidingWindow, hiddenAct);
    if (visionConfig == null) {
      throw new ModelFormatException(FILE_NAME + ": missing field vision_config");
    }
    if (!ACTIVATIONS.contains(projectorHiddenAct)) {
      throw bad("projector_hidden_act " + projectorHiddenAct + " is not supported (supported: "
          + String.join(", ", ACTIVATIONS.stream().sorted().toList()) + ")");
    }
    if (!"default".equals(visionFeatureSelectStrategy) && !"full".equals(visionFeatureSelectStrategy)) {
      throw bad("vision_feature_select_strategy must be \"default\" or \"full\", got "
          + visionFeatureSelectStrategy);
    }
    int vl = visionConfig.numHiddenLayers();
    if (visionFeatureLayer < -(vl + 1) || visionFeatureLayer > vl) {
      throw bad("vision_feature_layer must be in [-" + (vl + 1) + ", " + vl + "], got "
          + visionFeatureLayer);
    }
    if ("default".equals(visionFeatureSelectStrategy) && visionConfig.numPositions() < 2) {
      throw bad("vision_feature_select_strategy \"default\" drops the only image feature");
    }
  }

  /**
   * Creates a config in this SDK's earlier flat form (Llama text model, no biases, untied head,
   * full feature selection): the form of the ShapesWorld and benchmark models.
   *
   * @param hiddenSize decoder width
   * @param numHiddenLayers decoder layers
   * @param numAttentionHeads query heads
   * @param numKeyValueHeads key/value heads
   * @param intermediateSize SwiGLU width
   * @param rmsNormEps RMSNorm epsilon
   * @param ropeTheta rotary base
   * @param vocabSize vocabulary size
   * @param maxPositionEmbeddings longest sequence
   * @param initializerRange initialisation standard deviation
   * @param visionConfig the vision tower
   * @param projectorHiddenAct projector activation
   * @param visionFeatureLayer the hidden state feeding the projector
   */
  public VlmConfig(
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
    this(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, intermediateSize,
        rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings, initializerRange, visionConfig,
        projectorHiddenAct, visionFeatureLayer, "llama",
        numAttentionHeads > 0 && hiddenSize % Math.max(1, numAttentionHeads) == 0
            ? hiddenSize / numAttentionHeads
            : -1,
        false, false, false, false, 0, "full", true, -1, "silu");
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
   * Returns the text decoder's part of this config.
   *
   * @return the decoder sizes and variants
   */
  public TextConfig textConfig() {
    return new TextConfig(textModelType, hiddenSize, numHiddenLayers, numAttentionHeads,
        numKeyValueHeads, intermediateSize, rmsNormEps, ropeTheta, vocabSize,
        maxPositionEmbeddings, initializerRange, headDim, attentionBias, outputBias, mlpBias,
        tieWordEmbeddings, slidingWindow, hiddenAct);
  }

  /**
   * Returns how many positions one image occupies in the decoder's sequence.
   *
   * @return the vision tower's positions, less the first under the {@code default} strategy
   */
  public int numImageTokens() {
    return visionConfig.numPositions() - ("default".equals(visionFeatureSelectStrategy) ? 1 : 0);
  }

  /**
   * Returns the number of vision encoder layers run before the projector.
   *
   * @return layers used, from 0 (embeddings only) to vision num_hidden_layers
   */
  public int visionLayersUsed() {
    return visionFeatureLayer >= 0
        ? visionFeatureLayer
        : visionConfig.numHiddenLayers() + 1 + visionFeatureLayer;
  }

  /**
   * Returns whether the model runs as this SDK's original architecture (Llama text model without
   * biases, untied head, CLIP-style tower without a class token, full features, gelu projector
   * with biases): the form of the ShapesWorld and bench models.
   *
   * @return true for the original architecture
   */
  public boolean isBaseArchitecture() {
    return "llama".equals(textModelType) && headDim * numAttentionHeads == hiddenSize
        && !attentionBias && !outputBias && !mlpBias && !tieWordEmbeddings && slidingWindow == 0
        && "full".equals(visionFeatureSelectStrategy) && projectorBias
        && "gelu".equals(projectorHiddenAct) && !visionConfig.classToken()
        && !visionConfig.isSiglip() && "quick_gelu".equals(visionConfig.hiddenAct());
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
        initializerRange, visionConfig, projectorHiddenAct, visionFeatureLayer, textModelType,
        headDim, attentionBias, outputBias, mlpBias, tieWordEmbeddings, slidingWindow,
        visionFeatureSelectStrategy, projectorBias, imageTokenIndex, hiddenAct);
  }

  /**
   * Returns a copy that records the image placeholder's token id.
   *
   * @param id the id
   * @return the new config
   */
  public VlmConfig withImageTokenIndex(long id) {
    return new VlmConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
        intermediateSize, rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings,
        initializerRange, visionConfig, projectorHiddenAct, visionFeatureLayer, textModelType,
        headDim, attentionBias, outputBias, mlpBias, tieWordEmbeddings, slidingWindow,
        visionFeatureSelectStrategy, projectorBias, id, hiddenAct);
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
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("missing " + file);
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (ModelFormatException e) {
      String msg = e.getMessage();
      String rest = msg.startsWith(FILE_NAME + ": ") ? msg.substring(FILE_NAME.length() + 2) : msg;
      throw new ModelFormatException(file + ": " + rest, e);
    }
  }

  /**
   * Builds a config from a parsed config.json tree, nested (transformers) or flat.
   *
   * @param root the JSON object
   * @return the config
   * @throws ModelFormatException naming the field when it is missing, malformed or unsupported
   */
  public static VlmConfig fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new ModelFormatException(FILE_NAME + ": expected a JSON object");
    }
    String modelType = optText(root, "", "model_type", "llava");
    if (TEXT_MODEL_TYPES.contains(modelType)) {
      throw bad("model_type " + modelType + " is a text-only causal LM, not a vision-language"
          + " model; open it as a text generator (BackendProvider.newTextGenerator)");
    }
    if (!"llava".equals(modelType)) {
      throw bad("model_type " + modelType + " is not supported (supported: llava; LLaVA-NeXT,"
          + " Qwen2-VL and Idefics3 are not supported yet)");
    }
    JsonNode v = root.get("vision_config");
    if (v != null && !v.isObject()) {
      throw bad("vision_config must be an object");
    }
    JsonNode textNode = root.get("text_config");
    boolean nested = textNode != null && textNode.isObject();
    VisionConfig vision = VisionConfig.fromJson(v == null ? JSON.createObjectNode() : v, !nested);
    JsonNode t = nested ? textNode : root;
    String tp = nested ? "text_config." : "";
    String textType = nested ? optText(t, tp, "model_type", "llama") : "llama";
    if (!TEXT_MODEL_TYPES.contains(textType)) {
      throw bad(tp + "model_type " + textType + " is not supported (supported: llama, mistral,"
          + " qwen2)");
    }
    if (!nested && !root.has("hidden_size")) {
      throw bad("missing field text_config");
    }
    boolean tie;
    if (nested && t.has("tie_word_embeddings")) {
      tie = optBool(t, tp, "tie_word_embeddings", false);
    } else {
      tie = optBool(root, "", "tie_word_embeddings", false);
    }
    TextConfig text = TextConfig.parse(t, tp, textType, tie);
    JsonNode featureLayer = root.get("vision_feature_layer");
    if (featureLayer != null && featureLayer.isArray()) {
      throw bad("vision_feature_layer as a list of layers is not supported yet");
    }
    long imageToken = -1;
    if (root.has("image_token_index") && !root.get("image_token_index").isNull()) {
      imageToken = reqInt(root, "", "image_token_index");
    } else if (root.has("image_token_id") && !root.get("image_token_id").isNull()) {
      imageToken = reqInt(root, "", "image_token_id");
    } else if (nested) {
      imageToken = 32000;
    }
    String strategy = optText(root, "", "vision_feature_select_strategy", nested ? "default" : "full");
    VlmConfig c = new VlmConfig(
        text.hiddenSize(),
        text.numHiddenLayers(),
        text.numAttentionHeads(),
        text.numKeyValueHeads(),
        text.intermediateSize(),
        text.rmsNormEps(),
        text.ropeTheta(),
        text.vocabSize(),
        text.maxPositionEmbeddings(),
        text.initializerRange(),
        vision,
        optText(root, "", "projector_hidden_act", "gelu"),
        optInt(root, "", "vision_feature_layer", nested ? -2 : -1),
        textType,
        text.headDim(),
        text.attentionBias(),
        text.outputBias(),
        text.mlpBias(),
        tie,
        text.slidingWindow(),
        strategy,
        optBool(root, "", "multimodal_projector_bias", true),
        imageToken,
        text.hiddenAct());
    JsonNode seq = root.get("image_seq_length");
    if (seq != null && !seq.isNull() && reqInt(root, "", "image_seq_length") != c.numImageTokens()) {
      throw bad("image_seq_length " + seq + " disagrees with the " + c.numImageTokens()
          + " image features the vision tower and vision_feature_select_strategy give");
    }
    return c;
  }

  /**
   * Returns the config as a config.json tree in transformers' nested form.
   *
   * @return a new JSON object
   */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("model_type", "llava");
    root.putArray("architectures").add("LlavaForConditionalGeneration");
    if (imageTokenIndex >= 0) {
      root.put("image_token_index", imageTokenIndex);
    }
    root.put("projector_hidden_act", projectorHiddenAct);
    root.put("multimodal_projector_bias", projectorBias);
    root.put("vision_feature_layer", visionFeatureLayer);
    root.put("vision_feature_select_strategy", visionFeatureSelectStrategy);
    root.put("image_seq_length", numImageTokens());
    root.put("tie_word_embeddings", tieWordEmbeddings);
    root.put("torch_dtype", "float32");
    ObjectNode t = root.putObject("text_config");
    t.put("model_type", textModelType);
    t.put("hidden_size", hiddenSize);
    t.put("num_hidden_layers", numHiddenLayers);
    t.put("num_attention_heads", numAttentionHeads);
    t.put("num_key_value_heads", numKeyValueHeads);
    t.put("head_dim", headDim);
    t.put("intermediate_size", intermediateSize);
    t.put("rms_norm_eps", rmsNormEps);
    t.put("rope_theta", ropeTheta);
    t.put("vocab_size", vocabSize);
    t.put("max_position_embeddings", maxPositionEmbeddings);
    t.put("initializer_range", initializerRange);
    t.put("hidden_act", hiddenAct);
    t.put("tie_word_embeddings", tieWordEmbeddings);
    if ("llama".equals(textModelType)) {
      t.put("attention_bias", attentionBias);
      t.put("mlp_bias", mlpBias);
    }
    if ("mistral".equals(textModelType)) {
      if (slidingWindow > 0) {
        t.put("sliding_window", slidingWindow);
      } else {
        t.putNull("sliding_window");
      }
    }
    root.set("vision_config", visionConfig.toJson());
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

  static int reqInt(JsonNode node, String prefix, String name) {
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      throw bad("missing field " + prefix + name);
    }
    if (!f.canConvertToInt() || !f.isIntegralNumber()) {
      throw bad("field " + prefix + name + " must be an integer, got " + f);
    }
    return f.intValue();
  }

  static int optInt(JsonNode node, String prefix, String name, int dflt) {
    JsonNode f = node.get(name);
    return f == null || f.isNull() ? dflt : reqInt(node, prefix, name);
  }

  static int optNullableInt(JsonNode node, String prefix, String name, int dflt) {
    JsonNode f = node.get(name);
    if (f == null) {
      return dflt;
    }
    return f.isNull() ? 0 : reqInt(node, prefix, name);
  }

  static double optDouble(JsonNode node, String prefix, String name, double dflt) {
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      return dflt;
    }
    if (!f.isNumber()) {
      throw bad("field " + prefix + name + " must be a number, got " + f);
    }
    return f.doubleValue();
  }

  static boolean optBool(JsonNode node, String prefix, String name, boolean dflt) {
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      return dflt;
    }
    if (!f.isBoolean()) {
      throw bad("field " + prefix + name + " must be true or false, got " + f);
    }
    return f.booleanValue();
  }

  static String optText(JsonNode node, String prefix, String name, String dflt) {
    JsonNode f = node.get(name);
    if (f == null || f.isNull()) {
      return dflt;
    }
    if (!f.isTextual()) {
      throw bad("field " + prefix + name + " must be a string, got " + f);
    }
    return f.asText();
  }

  static void positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw bad(field + " must be positive, got " + value);
    }
  }

  static ModelFormatException bad(String what) {
    return new ModelFormatException(FILE_NAME + ": " + what);
  }

  /**
   * The vision tower's sizes and variant ({@code vision_config}): CLIP or SigLIP.
   *
   * @param imageSize input side in pixels ({@code image_size})
   * @param patchSize patch side in pixels ({@code patch_size}); a remainder of the image side is
   *     dropped, as the patch convolution drops it
   * @param hiddenSize encoder width ({@code hidden_size})
   * @param numHiddenLayers encoder layers ({@code num_hidden_layers})
   * @param numAttentionHeads encoder heads ({@code num_attention_heads})
   * @param intermediateSize encoder MLP width ({@code intermediate_size})
   * @param layerNormEps LayerNorm epsilon ({@code layer_norm_eps})
   * @param modelType {@code clip_vision_model} or {@code siglip_vision_model}
   * @param hiddenAct encoder MLP activation ({@code hidden_act})
   * @param classToken whether a CLIP tower prepends its class embedding (true for every CLIP
   *     checkpoint on the hub; false only in this SDK's original models, written as {@code
   *     "class_embedding": false})
   */
  public record VisionConfig(
      int imageSize,
      int patchSize,
      int hiddenSize,
      int numHiddenLayers,
      int numAttentionHeads,
      int intermediateSize,
      double layerNormEps,
      String modelType,
      String hiddenAct,
      boolean classToken) {

    /** The CLIP vision tower's model type. */
    public static final String CLIP = "clip_vision_model";

    /** The SigLIP vision tower's model type. */
    public static final String SIGLIP = "siglip_vision_model";

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
      if (!CLIP.equals(modelType) && !SIGLIP.equals(modelType)) {
        throw bad("vision_config.model_type " + modelType + " is not supported (supported: "
            + CLIP + ", " + SIGLIP + ")");
      }
      if (!ACTIVATIONS.contains(hiddenAct)) {
        throw bad("vision_config.hidden_act " + hiddenAct + " is not supported");
      }
      if (SIGLIP.equals(modelType) && classToken) {
        throw bad("vision_config: a SigLIP tower has no class embedding");
      }
      // The patch embedding is a convolution with stride patch_size: a remainder is dropped, as
      // in SigLIP so400m-patch14-384 (384 / 14 gives 27 x 27 = 729 patches).
      if (imageSize < patchSize) {
        throw bad("vision_config.image_size (" + imageSize
            + ") must be at least vision_config.patch_size (" + patchSize + ")");
      }
      if (hiddenSize % numAttentionHeads != 0) {
        throw bad("vision_config.hidden_size (" + hiddenSize
            + ") must be divisible by vision_config.num_attention_heads (" + numAttentionHeads
            + ")");
      }
    }

    /**
     * Creates a vision config in this SDK's original form: CLIP-style with quick-GELU, LayerNorm
     * epsilon 1e-5 and no class token.
     *
     * @param imageSize input side in pixels
     * @param patchSize patch side in pixels
     * @param hiddenSize encoder width
     * @param numHiddenLayers encoder layers
     * @param numAttentionHeads encoder heads
     * @param intermediateSize encoder MLP width
     * @param layerNormEps LayerNorm epsilon
     */
    public VisionConfig(int imageSize, int patchSize, int hiddenSize, int numHiddenLayers,
        int numAttentionHeads, int intermediateSize, double layerNormEps) {
      this(imageSize, patchSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
          layerNormEps, CLIP, "quick_gelu", false);
    }

    /**
     * Creates a vision config in this SDK's original form with LayerNorm epsilon 1e-5.
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

    static VisionConfig fromJson(JsonNode v, boolean flat) {
      String p = "vision_config.";
      String type = optText(v, p, "model_type", CLIP);
      boolean siglip = SIGLIP.equals(type);
      // the flat form is this SDK's original architecture, whose tower has no class token
      boolean cls = !siglip && optBool(v, p, "class_embedding", !flat);
      if (siglip && v.has("class_embedding")) {
        throw bad("vision_config.class_embedding does not apply to a SigLIP tower");
      }
      // CLIPVisionConfig / SiglipVisionConfig defaults; a LLaVA config without vision_config gets
      // LlavaConfig's CLIP ViT-L/14-336 defaults.
      boolean llavaDefault = v.isEmpty();
      int nc = optInt(v, p, "num_channels", 3);
      if (nc != 3) {
        throw bad("vision_config.num_channels must be 3, got " + nc);
      }
      return new VisionConfig(
          optInt(v, p, "image_size", llavaDefault ? 336 : 224),
          optInt(v, p, "patch_size", llavaDefault ? 14 : siglip ? 16 : 32),
          optInt(v, p, "hidden_size", llavaDefault ? 1024 : 768),
          optInt(v, p, "num_hidden_layers", llavaDefault ? 24 : 12),
          optInt(v, p, "num_attention_heads", llavaDefault ? 16 : 12),
          optInt(v, p, "intermediate_size", llavaDefault ? 4096 : 3072),
          optDouble(v, p, "layer_norm_eps", siglip ? 1e-6 : 1e-5),
          type,
          optText(v, p, "hidden_act", siglip ? "gelu_pytorch_tanh" : "quick_gelu"),
          cls);
    }

    ObjectNode toJson() {
      ObjectNode v = JSON.createObjectNode();
      v.put("model_type", modelType);
      v.put("image_size", imageSize);
      v.put("patch_size", patchSize);
      v.put("num_channels", 3);
      v.put("hidden_size", hiddenSize);
      v.put("num_hidden_layers", numHiddenLayers);
      v.put("num_attention_heads", numAttentionHeads);
      v.put("intermediate_size", intermediateSize);
      v.put("layer_norm_eps", layerNormEps);
      v.put("hidden_act", hiddenAct);
      if (!isSiglip() && !classToken) {
        v.put("class_embedding", false);
      }
      return v;
    }

    /**
     * Returns whether this is a SigLIP tower.
     *
     * @return true for {@code siglip_vision_model}
     */
    public boolean isSiglip() {
      return SIGLIP.equals(modelType);
    }

    /**
     * Returns the number of patches per image.
     *
     * @return floor(image_size / patch_size)^2
     */
    public int numPatches() {
      int g = imageSize / patchSize;
      return g * g;
    }

    /**
     * Returns the number of positions the tower outputs: the patches, plus one for a class token.
     *
     * @return positions per image
     */
    public int numPositions() {
      return numPatches() + (classToken ? 1 : 0);
    }
  }
}
