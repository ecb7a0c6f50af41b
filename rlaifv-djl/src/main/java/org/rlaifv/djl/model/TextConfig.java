package org.rlaifv.djl.model;

import static org.rlaifv.djl.model.VlmConfig.bad;
import static org.rlaifv.djl.model.VlmConfig.optBool;
import static org.rlaifv.djl.model.VlmConfig.optDouble;
import static org.rlaifv.djl.model.VlmConfig.optInt;
import static org.rlaifv.djl.model.VlmConfig.optNullableInt;
import static org.rlaifv.djl.model.VlmConfig.optText;
import static org.rlaifv.djl.model.VlmConfig.positive;
import static org.rlaifv.djl.model.VlmConfig.reqInt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * Sizes and variants of a Llama-style causal decoder (Llama, Mistral or Qwen2): the {@code
 * text_config} of a LLaVA checkpoint, or the whole {@code config.json} of a text-only {@code
 * LlamaForCausalLM}, {@code MistralForCausalLM} or {@code Qwen2ForCausalLM} directory.
 *
 * <p>A field that is absent takes the default transformers gives it for the model type ({@code
 * LlamaConfig}, {@code MistralConfig}, {@code Qwen2Config}). Every field either takes effect or is
 * refused with a message naming the file and the field ({@code rope_scaling}, Qwen2's {@code
 * use_sliding_window} and activations other than {@code silu} are refused).
 *
 * <pre>{@code
 * TextConfig cfg = TextConfig.read(Path.of("Qwen2.5-0.5B-Instruct/config.json"));
 * int layers = cfg.numHiddenLayers();
 * }</pre>
 *
 * @param modelType {@code llama}, {@code mistral} or {@code qwen2}
 * @param hiddenSize width ({@code hidden_size})
 * @param numHiddenLayers layers ({@code num_hidden_layers})
 * @param numAttentionHeads query heads ({@code num_attention_heads})
 * @param numKeyValueHeads key/value heads ({@code num_key_value_heads}), dividing the query heads
 * @param intermediateSize SwiGLU width ({@code intermediate_size})
 * @param rmsNormEps RMSNorm epsilon ({@code rms_norm_eps})
 * @param ropeTheta rotary base ({@code rope_theta})
 * @param vocabSize vocabulary size ({@code vocab_size}), the rows of the embedding and LM head
 * @param maxPositionEmbeddings longest sequence the model accepts ({@code max_position_embeddings})
 * @param initializerRange standard deviation of random initialisation ({@code initializer_range})
 * @param headDim width of one attention head ({@code head_dim}, default hidden / heads)
 * @param attentionBias whether q/k/v projections have biases (Qwen2 always; Llama's {@code
 *     attention_bias})
 * @param outputBias whether the attention output projection has a bias (Llama's {@code
 *     attention_bias})
 * @param mlpBias whether the MLP projections have biases (Llama's {@code mlp_bias})
 * @param tieWordEmbeddings whether the LM head reuses the token embedding ({@code
 *     tie_word_embeddings})
 * @param slidingWindow attention window, 0 for none (Mistral's {@code sliding_window})
 * @param hiddenAct MLP activation ({@code hidden_act}; {@code silu})
 */
public record TextConfig(
    String modelType,
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
    int headDim,
    boolean attentionBias,
    boolean outputBias,
    boolean mlpBias,
    boolean tieWordEmbeddings,
    int slidingWindow,
    String hiddenAct) {

  /**
   * Validates the sizes and variants.
   *
   * @throws ModelFormatException naming config.json and the field that is out of range
   */
  public TextConfig {
    check("", modelType, hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
        intermediateSize, rmsNormEps, ropeTheta, vocabSize, maxPositionEmbeddings,
        initializerRange, headDim, slidingWindow, hiddenAct);
  }

  /**
   * Checks decoder fields; {@code p} prefixes field names in messages ({@code "text_config."} for
   * a LLaVA config).
   */
  static void check(String p, String modelType, int hiddenSize, int numHiddenLayers,
      int numAttentionHeads, int numKeyValueHeads, int intermediateSize, double rmsNormEps,
      double ropeTheta, int vocabSize, int maxPositionEmbeddings, double initializerRange,
      int headDim, int slidingWindow, String hiddenAct) {
    positive(p + "hidden_size", hiddenSize);
    positive(p + "num_hidden_layers", numHiddenLayers);
    positive(p + "num_attention_heads", numAttentionHeads);
    positive(p + "num_key_value_heads", numKeyValueHeads);
    positive(p + "intermediate_size", intermediateSize);
    positive(p + "vocab_size", vocabSize);
    positive(p + "max_position_embeddings", maxPositionEmbeddings);
    positive(p + "rms_norm_eps", rmsNormEps);
    positive(p + "rope_theta", ropeTheta);
    positive(p + "head_dim", headDim);
    if (!(initializerRange >= 0)) {
      throw bad(p + "initializer_range must not be negative, got " + initializerRange);
    }
    if (!VlmConfig.TEXT_MODEL_TYPES.contains(modelType)) {
      throw bad(p + "model_type " + modelType + " is not supported (supported: "
          + String.join(", ", VlmConfig.TEXT_MODEL_TYPES.stream().sorted().toList()) + ")");
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw bad(p + "num_attention_heads (" + numAttentionHeads
          + ") must be divisible by num_key_value_heads (" + numKeyValueHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw bad(p + "head_dim must be even for rotary embeddings, got " + headDim);
    }
    if (!"silu".equals(hiddenAct)) {
      throw bad(p + "hidden_act must be \"silu\", got " + hiddenAct);
    }
    if (slidingWindow < 0) {
      throw bad(p + "sliding_window must not be negative, got " + slidingWindow);
    }
  }

  /**
   * Reads and validates the {@code config.json} of a text-only causal LM.
   *
   * @param file the config file
   * @return the config
   * @throws ModelFormatException naming the file and the field when it is missing, malformed or
   *     out of range, or when the file describes another kind of model
   */
  public static TextConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("missing " + file);
    }
    JsonNode root;
    try {
      root = VlmConfig.json().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return fromJson(root);
    } catch (ModelFormatException e) {
      String msg = e.getMessage();
      String prefix = VlmConfig.FILE_NAME + ": ";
      String rest = msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg;
      throw new ModelFormatException(file + ": " + rest, e);
    }
  }

  /**
   * Builds a config from the parsed {@code config.json} of a text-only causal LM: {@code
   * model_type} {@code llama}, {@code mistral} or {@code qwen2} at the top level, and, when
   * present, an {@code architectures} entry ending in {@code ForCausalLM}.
   *
   * @param root the JSON object
   * @return the config
   * @throws ModelFormatException naming the field when it is missing, malformed or unsupported
   */
  public static TextConfig fromJson(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw bad("expected a JSON object");
    }
    JsonNode typeNode = root.get("model_type");
    if (typeNode == null || typeNode.isNull()) {
      throw bad("missing field model_type (llama, mistral or qwen2)");
    }
    String type = optText(root, "", "model_type", "");
    if ("llava".equals(type)) {
      throw bad("model_type llava is a vision-language model, not a text-only causal LM; open it"
          + " as a sampler or judge");
    }
    if (!VlmConfig.TEXT_MODEL_TYPES.contains(type)) {
      throw bad("model_type " + type + " is not supported (supported: llama, mistral, qwen2)");
    }
    JsonNode arch = root.get("architectures");
    if (arch != null && arch.isArray()) {
      for (JsonNode a : arch) {
        if (!a.isTextual() || !a.asText().endsWith("ForCausalLM")) {
          throw bad("architectures lists " + a + "; only *ForCausalLM text models are supported");
        }
      }
    }
    return parse(root, "", type, optBool(root, "", "tie_word_embeddings", false));
  }

  /**
   * Reads the decoder fields of a config node with transformers' defaults for the model type.
   *
   * @param t the node holding the fields (the root, or {@code text_config})
   * @param tp the prefix naming the node's fields in messages ({@code ""} or {@code
   *     "text_config."})
   * @param textType {@code llama}, {@code mistral} or {@code qwen2}
   * @param tie whether the LM head is the token embedding
   * @return the config, validated with field names under {@code tp}
   */
  static TextConfig parse(JsonNode t, String tp, String textType, boolean tie) {
    if (!VlmConfig.TEXT_MODEL_TYPES.contains(textType)) {
      throw bad(tp + "model_type " + textType + " is not supported (supported: llama, mistral,"
          + " qwen2)");
    }
    Defaults d = Defaults.of(textType);
    int hidden = optInt(t, tp, "hidden_size", d.hidden);
    int heads = optInt(t, tp, "num_attention_heads", d.heads);
    int kv = optInt(t, tp, "num_key_value_heads", d.kvHeads < 0 ? heads : d.kvHeads);
    if (heads <= 0) {
      throw bad(tp + "num_attention_heads must be positive, got " + heads);
    }
    JsonNode hd = t.get("head_dim");
    int headDim;
    if (hd == null || hd.isNull()) {
      if (hidden % heads != 0) {
        throw bad(tp + "hidden_size (" + hidden + ") must be divisible by num_attention_heads ("
            + heads + ")");
      }
      headDim = hidden / heads;
    } else {
      headDim = reqInt(t, tp, "head_dim");
    }
    JsonNode scaling = t.get("rope_scaling");
    if (scaling != null && !scaling.isNull()) {
      throw bad(tp + "rope_scaling is not supported yet (got " + scaling + ")");
    }
    boolean attentionBias;
    boolean outputBias;
    if ("qwen2".equals(textType)) {
      attentionBias = true;
      outputBias = false;
    } else if ("llama".equals(textType)) {
      attentionBias = optBool(t, tp, "attention_bias", false);
      outputBias = attentionBias;
    } else {
      attentionBias = false;
      outputBias = false;
    }
    boolean mlpBias = "llama".equals(textType) && optBool(t, tp, "mlp_bias", false);
    int window = 0;
    if ("mistral".equals(textType)) {
      window = optNullableInt(t, tp, "sliding_window", 4096);
    } else if ("qwen2".equals(textType) && optBool(t, tp, "use_sliding_window", false)) {
      throw bad(tp + "use_sliding_window true is not supported yet");
    }
    int layers = optInt(t, tp, "num_hidden_layers", d.layers);
    int inter = optInt(t, tp, "intermediate_size", d.intermediate);
    double eps = optDouble(t, tp, "rms_norm_eps", d.rmsEps);
    double theta = optDouble(t, tp, "rope_theta", 10000);
    int vocab = optInt(t, tp, "vocab_size", d.vocab);
    int maxPos = optInt(t, tp, "max_position_embeddings", d.maxPositions);
    double init = optDouble(t, tp, "initializer_range", 0.02);
    String act = optText(t, tp, "hidden_act", "silu");
    check(tp, textType, hidden, layers, heads, kv, inter, eps, theta, vocab, maxPos, init, headDim,
        window, act);
    return new TextConfig(textType, hidden, layers, heads, kv, inter, eps, theta, vocab, maxPos,
        init, headDim, attentionBias, outputBias, mlpBias, tie, window, act);
  }

  /** transformers' defaults per model type. */
  private record Defaults(
      int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads,
      int maxPositions, double rmsEps) {
    static Defaults of(String type) {
      return switch (type) {
        case "mistral" -> new Defaults(32000, 4096, 14336, 32, 32, 8, 4096 * 32, 1e-6);
        case "qwen2" -> new Defaults(151936, 4096, 22016, 32, 32, 32, 32768, 1e-6);
        default -> new Defaults(32000, 4096, 11008, 32, 32, -1, 2048, 1e-6);
      };
    }
  }
}
