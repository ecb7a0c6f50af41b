package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Map;

/**
 * The Llama-style causal decoder (RMSNorm, rotary positions, SwiGLU MLP, grouped-query attention
 * with optional q/k/v biases, explicit head_dim, sliding window, tied or untied head, key/value
 * cache), computed from NDArray operations over parameters named {@code <prefix>embed_tokens},
 * {@code <prefix>layers.N.*}, {@code <prefix>norm} and a head. The one implementation of the
 * decoder maths: {@link VlmModel} runs it under {@code language_model.model.} and {@link
 * CausalLmModel} under {@code model.}.
 *
 * <p>The decoder reads, never owns, the parameter map of its model. Results belong to the manager
 * of the first input.
 */
final class TextDecoder {
  private static final float MASKED = -1e9f;

  private final TextConfig config;
  private final Map<String, NDArray> params;
  private final String prefix;
  private final String head;
  private final java.util.function.BiFunction<NDArray, String, NDArray> linear;

  /**
   * Creates a decoder over a model's parameters.
   *
   * @param config the decoder sizes
   * @param params the model's parameters by name (read at each call)
   * @param prefix the decoder's name prefix, e.g. {@code model.}
   * @param head the name of the untied LM head weight, e.g. {@code lm_head.weight}
   * @param linear computes a linear layer from its input and name prefix (the model's, which may
   *     add adapters)
   */
  TextDecoder(TextConfig config, Map<String, NDArray> params, String prefix, String head,
      java.util.function.BiFunction<NDArray, String, NDArray> linear) {
    this.config = config;
    this.params = params;
    this.prefix = prefix;
    this.head = head;
    this.linear = linear;
  }

  /**
   * Adds the decoder's parameter names and shapes, in model order (embedding, layers, final norm,
   * head unless tied).
   */
  static void addParameterShapes(
      TextConfig c, String prefix, String head, Map<String, long[]> s) {
    long d = c.hiddenSize();
    s.put(prefix + "embed_tokens.weight", new long[] {c.vocabSize(), d});
    long hd = c.headDim();
    long qOut = c.numAttentionHeads() * hd;
    long kvOut = c.numKeyValueHeads() * hd;
    long inter = c.intermediateSize();
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      String pre = prefix + "layers." + i + ".";
      s.put(pre + "input_layernorm.weight", new long[] {d});
      s.put(pre + "self_attn.q_proj.weight", new long[] {qOut, d});
      if (c.attentionBias()) {
        s.put(pre + "self_attn.q_proj.bias", new long[] {qOut});
      }
      s.put(pre + "self_attn.k_proj.weight", new long[] {kvOut, d});
      if (c.attentionBias()) {
        s.put(pre + "self_attn.k_proj.bias", new long[] {kvOut});
      }
      s.put(pre + "self_attn.v_proj.weight", new long[] {kvOut, d});
      if (c.attentionBias()) {
        s.put(pre + "self_attn.v_proj.bias", new long[] {kvOut});
      }
      s.put(pre + "self_attn.o_proj.weight", new long[] {d, qOut});
      if (c.outputBias()) {
        s.put(pre + "self_attn.o_proj.bias", new long[] {d});
      }
      s.put(pre + "post_attention_layernorm.weight", new long[] {d});
      s.put(pre + "mlp.gate_proj.weight", new long[] {inter, d});
      s.put(pre + "mlp.up_proj.weight", new long[] {inter, d});
      s.put(pre + "mlp.down_proj.weight", new long[] {d, inter});
      if (c.mlpBias()) {
        s.put(pre + "mlp.gate_proj.bias", new long[] {inter});
        s.put(pre + "mlp.up_proj.bias", new long[] {inter});
        s.put(pre + "mlp.down_proj.bias", new long[] {d});
      }
    }
    s.put(prefix + "norm.weight", new long[] {d});
    if (!c.tieWordEmbeddings()) {
      s.put(head, new long[] {c.vocabSize(), d});
    }
  }

  /** Token embeddings [B, T, hidden] of int ids [B, T]. */
  NDArray embed(NDArray tokenIds) {
    NDArray ids = tokenIds.getDataType() == DataType.INT64 ? tokenIds : tokenIds.toType(DataType.INT64, false);
    return ids.getNDArrayInternal()
        .embedding(ids, params.get(prefix + "embed_tokens.weight"), SparseFormat.DENSE)
        .singletonOrThrow();
  }

  /** Vocabulary logits of final hidden states. */
  NDArray logits(NDArray hidden) {
    NDArray w = config.tieWordEmbeddings() ? params.get(prefix + "embed_tokens.weight") : params.get(head);
    return Linear.linear(hidden, w).singletonOrThrow();
  }

  /**
   * Runs the decoder layers and the final norm; see {@link VlmModel#hiddenStates} for the
   * arguments.
   */
  NDArray hiddenStates(
      NDArray inputsEmbeds, NDArray attentionMask, NDArray positionIds, KvCache cacheOrNull) {
    Shape s = inputsEmbeds.getShape();
    if (s.dimension() != 3 || s.get(2) != config.hiddenSize()) {
      throw new IllegalArgumentException(
          "inputsEmbeds must be [B, T, " + config.hiddenSize() + "], got " + s);
    }
    long b = s.get(0);
    long t = s.get(1);
    int past = cacheOrNull == null ? 0 : cacheOrNull.length();
    if (cacheOrNull != null && past > 0 && cacheOrNull.batchSize() != b) {
      throw new IllegalArgumentException(
          "cache holds " + cacheOrNull.batchSize() + " rows, input has " + b);
    }
    long tk = past + t;
    if (!attentionMask.getShape().equals(new Shape(b, tk))) {
      throw new IllegalArgumentException(
          "attentionMask must be [" + b + ", " + tk + "], got " + attentionMask.getShape());
    }
    if (!positionIds.getShape().equals(new Shape(b, t))) {
      throw new IllegalArgumentException(
          "positionIds must be [" + b + ", " + t + "], got " + positionIds.getShape());
    }
    if (tk > config.maxPositionEmbeddings()) {
      throw new IllegalArgumentException(
          "sequence of " + tk + " positions exceeds max_position_embeddings "
              + config.maxPositionEmbeddings());
    }
    NDManager m = inputsEmbeds.getManager();
    float[] causal = new float[(int) (t * tk)];
    int window = config.slidingWindow();
    for (int i = 0; i < t; i++) {
      // position past + i sees keys 0..past + i, and only the last `window` of them when the
      // text model attends within a sliding window
      int from = window > 0 ? Math.max(0, past + i - window + 1) : 0;
      Arrays.fill(causal, (int) (i * tk + from), (int) (i * tk + past + i + 1), 1f);
    }
    NDArray allowed =
        attentionMask.toType(DataType.FLOAT32, false).reshape(b, 1, tk).mul(m.create(causal, new Shape(1, t, tk)));
    NDArray bias = allowed.sub(1f).mul(-MASKED).reshape(b, 1, 1, t, tk);

    int hd = config.headDim();
    int half = hd / 2;
    float[] inv = new float[half];
    for (int i = 0; i < half; i++) {
      inv[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / hd));
    }
    NDArray freqs = positionIds.toType(DataType.FLOAT32, false).reshape(b, t, 1).mul(m.create(inv));
    NDArray emb = freqs.concat(freqs, -1);
    NDArray cos = emb.cos().reshape(b, 1, t, hd);
    NDArray sin = emb.sin().reshape(b, 1, t, hd);
    float[] rot = new float[hd * hd];
    for (int j = 0; j < half; j++) {
      rot[(j + half) * hd + j] = -1f;
      rot[j * hd + j + half] = 1f;
    }
    NDArray rotate = m.create(rot, new Shape(hd, hd));

    int heads = config.numAttentionHeads();
    int kvHeads = config.numKeyValueHeads();
    float eps = (float) config.rmsNormEps();
    NDArray x = inputsEmbeds;
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String pre = prefix + "layers." + i + ".";
      NDManager scope = NdOps.beginLayer(x);
      NDArray h = NdOps.rmsNorm(x, params.get(pre + "input_layernorm.weight"), eps);
      NDArray q = linear(h, pre + "self_attn.q_proj").reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
      NDArray k = linear(h, pre + "self_attn.k_proj").reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
      NDArray v = linear(h, pre + "self_attn.v_proj").reshape(b, t, kvHeads, hd).transpose(0, 2, 1, 3);
      q = q.mul(cos).add(q.matMul(rotate).mul(sin));
      k = k.mul(cos).add(k.matMul(rotate).mul(sin));
      NDArray[] shared = null;
      int repeats = 1;
      if (cacheOrNull != null) {
        shared = cacheOrNull.sharedLayer(i);
        repeats = cacheOrNull.sharedRepeats();
        NDArray[] kv = cacheOrNull.append(i, k, v);
        k = kv[0];
        v = kv[1];
      }
      NDArray a =
          shared == null
              ? NdOps.attention(q, k, v, bias, b, t, heads, kvHeads, hd)
              : NdOps.sharedAttention(q, shared[0], shared[1], repeats, k, v, bias, b, t, heads, kvHeads, hd);
      x = x.add(linear(a, pre + "self_attn.o_proj"));
      h = NdOps.rmsNorm(x, params.get(pre + "post_attention_layernorm.weight"), eps);
      NDArray gate = linear(h, pre + "mlp.gate_proj");
      NDArray up = linear(h, pre + "mlp.up_proj");
      NDArray act = NdOps.activation(gate, config.hiddenAct()).mul(up);
      x = NdOps.endLayer(x.add(linear(act, pre + "mlp.down_proj")), scope);
    }
    return NdOps.rmsNorm(x, params.get(prefix + "norm.weight"), eps);
  }

  private NDArray linear(NDArray x, String name) {
    return linear.apply(x, name);
  }

  /**
   * Rotary positions of the trailing positions of a full attention mask: the count of real
   * positions before each one (so padding anywhere is skipped).
   */
  static NDArray positionsFromMask(NDArray attentionMask, int newPositions) {
    NDArray mask = attentionMask.toType(DataType.INT64, false);
    NDArray pos = mask.cumSum(1).sub(1L).maximum(0L);
    long total = mask.getShape().get(1);
    return pos.get(":, " + (total - newPositions) + ":");
  }
}
