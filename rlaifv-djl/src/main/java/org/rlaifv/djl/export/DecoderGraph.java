package org.rlaifv.djl.export;

import java.util.List;
import java.util.function.Supplier;
import org.rlaifv.djl.export.OnnxGraph.ElemType;

/**
 * Writes the LLaMA-style decoder (Llama, Mistral, Qwen2: q/k/v, output and MLP biases where the
 * model has them, any head width, tied or untied head, sliding-window attention) as one ONNX graph
 * in the Optimum {@code decoder_model_merged} layout: inputs {@code inputs_embeds [B,S,H]}, {@code
 * attention_mask [B,P+S]}, {@code position_ids [B,S]} and {@code past_key_values.N.key/value
 * [B,KV,P,D]} (P may be 0); outputs {@code logits [B,S,V]} and {@code present.N.key/value
 * [B,KV,P+S,D]}.
 *
 * <p>The shared-prefix variant ({@link #buildSharedPrefix}) takes the same inputs but lets the past
 * (the prefix) have one row that all B input rows continue from: attention reads it by
 * broadcasting, so it is never copied B times. Each row's own earlier positions come in {@code
 * suffix_key_values.N.key/value [B,KV,Q,D]} (Q may be 0), the mask covers prefix, suffix and new
 * positions, and it outputs {@code logits} and {@code present_suffix.N.key/value [B,KV,Q+S,D]}.
 */
final class DecoderGraph {
  /** Added to the scores of hidden keys, as the DJL model does (a fully hidden row stays finite). */
  private static final float MASKED = -1e9f;

  /** The decoder's hyper-parameters. */
  record Shape(
      int hidden,
      int layers,
      int heads,
      int kvHeads,
      int headDim,
      int intermediate,
      int vocab,
      float rmsEps,
      double ropeTheta,
      int slidingWindow) {}

  /**
   * Weight names of the decoder (Hugging Face LLaMA names under a prefix); {@code lmHead} is the
   * embedding's name when the head is tied to it. Biases are exported where the model has them.
   */
  record Names(String layerPrefix, String finalNorm, String lmHead) {
    String layer(int i, String suffix) {
      return layerPrefix + i + "." + suffix;
    }
  }

  private DecoderGraph() {}

  /** Builds the Optimum-layout decoder. */
  static OnnxGraph build(Shape s, Names n, WeightSource w) {
    return build(s, n, w, false);
  }

  /** Builds the shared-prefix decoder (see the class comment). */
  static OnnxGraph buildSharedPrefix(Shape s, Names n, WeightSource w) {
    return build(s, n, w, true);
  }

  private static OnnxGraph build(Shape s, Names n, WeightSource w, boolean shared) {
    OnnxGraph g = new OnnxGraph(shared ? "decoder_shared_prefix" : "decoder");
    GraphOps o = new GraphOps(g);
    int d = s.headDim();
    g.input("inputs_embeds", ElemType.FLOAT, "batch_size", "sequence_length", s.hidden());
    g.input("attention_mask", ElemType.INT64, "batch_size", "total_sequence_length");
    g.input("position_ids", ElemType.INT64, "batch_size", "sequence_length");
    for (int i = 0; i < s.layers(); i++) {
      for (String kv : List.of("key", "value")) {
        String batch = shared ? "past_batch_size" : "batch_size";
        g.input(
            "past_key_values." + i + "." + kv,
            ElemType.FLOAT,
            kvDims(s, batch, "past_sequence_length"));
        if (shared) {
          g.input(
              "suffix_key_values." + i + "." + kv,
              ElemType.FLOAT,
              kvDims(s, "batch_size", "suffix_sequence_length"));
        }
      }
    }

    // Rotary tables from the positions: [B,1,S,D], halves duplicated as in rotate_half RoPE.
    float[] invFreq = new float[d / 2];
    for (int i = 0; i < d / 2; i++) {
      invFreq[i] = (float) (1.0 / Math.pow(s.ropeTheta(), (2.0 * i) / d));
    }
    String pos = o.unsqueeze(o.cast("position_ids", 1), -1);
    String freqs = g.op("Mul", pos, g.constant(invFreq, d / 2));
    String emb = o.concat(-1, freqs, freqs);
    String cos = o.unsqueeze(g.op("Cos", emb), 1);
    String sin = o.unsqueeze(g.op("Sin", emb), 1);
    // rotate_half(x) = cat(-x2, x1) as an exact signed permutation matrix.
    float[] rot = new float[d * d];
    for (int j = 0; j < d / 2; j++) {
      rot[(j + d / 2) * d + j] = -1f; // out[j] = -x[j + d/2]
      rot[j * d + j + d / 2] = 1f; // out[j + d/2] = x[j]
    }
    String rotM = g.constant(rot, d, d);

    // Causal + padding mask [B,1,S,T]: key j is visible to query i when j <= P + i and unmasked.
    String total = o.dim("attention_mask", 1);
    String seq = o.dim("inputs_embeds", 1);
    String past = g.op("Sub", total, seq);
    // The shared-prefix decoder's "past" above is prefix plus suffix; its attention splits at the
    // prefix (the past input's length) and the rest (suffix plus new positions).
    String prefixLength = shared ? o.dim("past_key_values.0.key", 2) : null;
    String rowLength = shared ? g.op("Sub", total, prefixLength) : null;
    String zero = g.constantLongs(new long[] {0});
    String one = g.constantLongs(new long[] {1});
    String totalScalar = o.squeeze0(total);
    String qIdx = g.op("Range", o.squeeze0(past), totalScalar, one);
    String kIdx = g.op("Range", zero, totalScalar, one);
    String causal = g.op("LessOrEqual", o.unsqueeze(kIdx, 0), o.unsqueeze(qIdx, 1));
    if (s.slidingWindow() > 0) {
      // as the DJL model: the query at cache index p sees keys p - window + 1 .. p
      String distance = g.op("Sub", o.unsqueeze(qIdx, 1), o.unsqueeze(kIdx, 0));
      String inWindow = g.op("Less", distance, g.constantLongs(new long[] {s.slidingWindow()}));
      causal = g.op("And", causal, inWindow);
    }
    String pad = o.unsqueeze(o.cast("attention_mask", 9), 1, 2);
    String allowed = g.op("And", o.unsqueeze(causal, 0, 1), pad);
    String bias4 = g.op("Where", allowed, g.scalar(0f), g.scalar(MASKED));

    String x = "inputs_embeds";
    float scale = (float) (1.0 / Math.sqrt(d));
    long hidden = s.hidden();
    int qOut = s.heads() * d;
    int kvOut = s.kvHeads() * d;
    for (int i = 0; i < s.layers(); i++) {
      String inNorm = n.layer(i, "input_layernorm.weight");
      String h = o.rmsNorm(x, inNorm, w.lazy(inNorm, hidden), s.hidden(), s.rmsEps());
      // One MatMul for q, k and v, with the attention scale folded into q's weights and bias
      // (RoPE is linear, so scaling before it is exact).
      Supplier<float[]> wq =
          scaled(w.lazy(n.layer(i, "self_attn.q_proj.weight"), qOut, hidden), scale);
      Supplier<float[]> wk = w.lazy(n.layer(i, "self_attn.k_proj.weight"), kvOut, hidden);
      Supplier<float[]> wv = w.lazy(n.layer(i, "self_attn.v_proj.weight"), kvOut, hidden);
      Supplier<float[]> bias = null;
      if (w.has(n.layer(i, "self_attn.q_proj.bias"))) {
        Supplier<float[]> bq = scaled(w.lazy(n.layer(i, "self_attn.q_proj.bias"), qOut), scale);
        Supplier<float[]> bk = w.lazy(n.layer(i, "self_attn.k_proj.bias"), kvOut);
        Supplier<float[]> bv = w.lazy(n.layer(i, "self_attn.v_proj.bias"), kvOut);
        bias = () -> concat(bq.get(), bk.get(), bv.get());
      }
      List<String> qkv =
          o.fusedLinear(
              h,
              n.layer(i, "self_attn.qkv_proj.weight.T"),
              List.of(() -> concat(wq.get(), wk.get()), wv),
              new int[] {qOut + kvOut, kvOut},
              s.hidden(),
              n.layer(i, "self_attn.qkv_proj.bias"),
              bias);
      // Heads first, [B,H+KV,S,D], then RoPE on the query and key heads together (the tables
      // broadcast over the head axis, which ONNX Runtime handles in contiguous S*D spans).
      String qk =
          rope(
              g,
              o.transpose(o.reshape(qkv.get(0), 0, 0, s.heads() + s.kvHeads(), d), 0, 2, 1, 3),
              cos,
              sin,
              rotM);
      String q = g.fresh("q");
      String k = g.fresh("k");
      String v = g.fresh("v");
      g.node(
          "Split",
          List.of(qk, g.ints(s.heads(), s.kvHeads())),
          List.of(q, k),
          OnnxAttribute.ofInt("axis", 1));
      g.node(
          "Transpose",
          List.of(o.reshape(qkv.get(1), 0, 0, s.kvHeads(), d)),
          List.of(v),
          OnnxAttribute.ofInts("perm", 0, 2, 1, 3));
      String ctx =
          shared
              ? sharedPrefixAttention(g, o, s, i, q, k, v, bias4, prefixLength, rowLength)
              : attention(g, o, s, i, q, k, v, bias4);
      ctx = o.reshape(o.transpose(ctx, 0, 2, 1, 3), 0, 0, qOut);
      String attn = proj(o, w, ctx, n.layer(i, "self_attn.o_proj"), s.hidden(), qOut);
      x = g.op("Add", x, attn);

      String postNorm = n.layer(i, "post_attention_layernorm.weight");
      String h2 = o.rmsNorm(x, postNorm, w.lazy(postNorm, hidden), s.hidden(), s.rmsEps());
      // Gate and up stay two MatMuls: one wide MatMul plus the Split that copies its halves
      // apart was no faster in ONNX Runtime.
      String gate = proj(o, w, h2, n.layer(i, "mlp.gate_proj"), s.intermediate(), s.hidden());
      String up = proj(o, w, h2, n.layer(i, "mlp.up_proj"), s.intermediate(), s.hidden());
      String act = g.op("Mul", o.silu(gate), up);
      String down = proj(o, w, act, n.layer(i, "mlp.down_proj"), s.hidden(), s.intermediate());
      x = g.op("Add", x, down);
    }
    String normed =
        o.rmsNorm(x, n.finalNorm(), w.lazy(n.finalNorm(), hidden), s.hidden(), s.rmsEps());
    String logits =
        o.linear(normed, n.lmHead(), w.lazy(n.lmHead(), s.vocab(), hidden), s.vocab(), s.hidden(),
            null);
    g.node("Identity", List.of(logits), List.of("logits"));

    g.output("logits", ElemType.FLOAT, "batch_size", "sequence_length", s.vocab());
    for (int i = 0; i < s.layers(); i++) {
      for (String kv : List.of("key", "value")) {
        g.output(
            (shared ? "present_suffix." : "present.") + i + "." + kv,
            ElemType.FLOAT,
            kvDims(s, "batch_size", shared ? "suffix_total_length" : "total_sequence_length"));
      }
    }
    return g;
  }

  /**
   * Attention over the concatenated past and new keys; writes {@code present.N.key/value}.
   * Grouped-query attention folds the query heads sharing a KV head into the row axis, {@code
   * [B,H,S,D] -> [B,KV,rep*S,D]}, so K and V are never repeated.
   */
  private static String attention(
      OnnxGraph g, GraphOps o, Shape s, int i, String q, String k, String v, String bias) {
    String presentK = appendKv(g, "past_key_values." + i + ".key", k, "present." + i + ".key");
    String presentV =
        appendKv(g, "past_key_values." + i + ".value", v, "present." + i + ".value");
    String qg = grouped(o, s, q);
    String probs = softmax(g, o, s, g.op("MatMul", qg, o.transpose(presentK, 0, 1, 3, 2)), bias);
    return ungrouped(o, s, g.op("MatMul", probs, presentV));
  }

  /**
   * Attention over a prefix that may have one row for all B rows, then each row's own suffix and
   * new positions: scores and weighted values are computed for the prefix and for suffix-plus-new
   * separately and joined, so the prefix is read in place. For the prefix the rows that share a
   * prefix row are folded into the query axis ({@code [B,KV,R,D] -> [Bp,KV,(B/Bp)*R,D]}), so each
   * prefix head is one matrix product over all its rows rather than B matrix-vector products that
   * each read it again. Writes {@code present_suffix.N.key/value}, the suffix followed by the new
   * positions.
   */
  private static String sharedPrefixAttention(
      OnnxGraph g,
      GraphOps o,
      Shape s,
      int i,
      String q,
      String k,
      String v,
      String bias,
      String prefixLength,
      String rowLength) {
    String pastK = "past_key_values." + i + ".key";
    String pastV = "past_key_values." + i + ".value";
    String rowK =
        appendKv(g, "suffix_key_values." + i + ".key", k, "present_suffix." + i + ".key");
    String rowV =
        appendKv(g, "suffix_key_values." + i + ".value", v, "present_suffix." + i + ".value");
    String qg = grouped(o, s, q);
    String prefixRows = o.dim(pastK, 0);
    String rows = o.dim(qg, 2);
    String headDim = g.ints(s.headDim());
    String prefixScores =
        unfold(g, o, s, g.op("MatMul", fold(g, o, s, qg, prefixRows, rows, headDim),
            o.transpose(pastK, 0, 1, 3, 2)), prefixRows, rows, prefixLength);
    String scores =
        o.concat(-1, prefixScores, g.op("MatMul", qg, o.transpose(rowK, 0, 1, 3, 2)));
    String probs = softmax(g, o, s, scores, bias);
    List<String> parts = List.of(g.fresh("probs_prefix"), g.fresh("probs_row"));
    g.node(
        "Split",
        List.of(probs, o.concat(0, prefixLength, rowLength)),
        parts,
        OnnxAttribute.ofInt("axis", -1));
    String prefixCtx =
        unfold(g, o, s, g.op("MatMul", fold(g, o, s, parts.get(0), prefixRows, rows, prefixLength),
            pastV), prefixRows, rows, headDim);
    String ctx = g.op("Add", prefixCtx, g.op("MatMul", parts.get(1), rowV));
    return ungrouped(o, s, ctx);
  }

  /**
   * {@code [B,KV,R,L] -> [Bp,KV,(B/Bp)*R,L]}: the rows that continue one prefix row side by side on
   * the query axis ({@code Bp} is 1, or B when every row has its own prefix). Every dimension is
   * spelled out ({@code allowzero}), since the prefix, and so {@code L}, may be empty.
   */
  private static String fold(OnnxGraph g, GraphOps o, Shape s, String x, String prefixRows,
      String rows, String last) {
    String kv = g.ints(s.kvHeads());
    String repeats = g.op("Div", o.dim(x, 0), prefixRows);
    return swapAxes12(g, o, x, o.concat(0, prefixRows, repeats, kv, rows, last),
        o.concat(0, prefixRows, kv, g.op("Mul", repeats, rows), last));
  }

  /** The inverse of {@link #fold}: {@code [Bp,KV,(B/Bp)*R,L] -> [B,KV,R,L]}. */
  private static String unfold(OnnxGraph g, GraphOps o, Shape s, String x, String prefixRows,
      String rows, String last) {
    String kv = g.ints(s.kvHeads());
    String repeats = g.op("Div", o.dim(x, 2), rows);
    return swapAxes12(g, o, x, o.concat(0, prefixRows, kv, repeats, rows, last),
        o.concat(0, g.op("Mul", prefixRows, repeats), kv, rows, last));
  }

  /** Reshapes to five axes, swaps axes 1 and 2, and reshapes to {@code merged}. */
  private static String swapAxes12(OnnxGraph g, GraphOps o, String x, String split,
      String merged) {
    return reshape(g, o.transpose(reshape(g, x, split), 0, 2, 1, 3, 4), merged);
  }

  /** A Reshape to a shape of explicit dimensions, zeros included. */
  private static String reshape(OnnxGraph g, String x, String shape) {
    return g.op("Reshape", List.of(x, shape), OnnxAttribute.ofInt("allowzero", 1));
  }

  /** Dimensions of a key/value tensor, {@code [batch, KV, length, D]}. */
  private static Object[] kvDims(Shape s, String batch, String length) {
    return new Object[] {batch, s.kvHeads(), length, s.headDim()};
  }

  /** Writes {@code out = Concat(cached, fresh)} along the sequence axis; returns {@code out}. */
  private static String appendKv(OnnxGraph g, String cached, String fresh, String out) {
    g.node("Concat", List.of(cached, fresh), List.of(out), OnnxAttribute.ofInt("axis", 2));
    return out;
  }

  /** {@code [B,H,S,D] -> [B,KV,rep*S,D]} (a no-op without grouped heads). */
  private static String grouped(GraphOps o, Shape s, String q) {
    return s.heads() == s.kvHeads() ? q : o.reshape(q, 0, s.kvHeads(), -1, s.headDim());
  }

  /** Softmax over keys of grouped scores, with the mask bias added per query head. */
  private static String softmax(OnnxGraph g, GraphOps o, Shape s, String scores, String bias) {
    boolean rep = s.heads() != s.kvHeads();
    String perHead = rep ? o.reshape(scores, 0, s.heads(), -1, 0) : scores;
    String probs = o.softmax(g.op("Add", perHead, bias));
    return rep ? o.reshape(probs, 0, s.kvHeads(), -1, 0) : probs;
  }

  /** Grouped context {@code [B,KV,rep*S,D]} back to {@code [B,H,S,D]}. */
  private static String ungrouped(GraphOps o, Shape s, String ctx) {
    return s.heads() == s.kvHeads() ? ctx : o.reshape(ctx, 0, s.heads(), -1, s.headDim());
  }

  /** A linear layer {@code prefix.weight} with its {@code prefix.bias} when the model has one. */
  private static String proj(GraphOps o, WeightSource w, String x, String prefix, int out, int in) {
    String bias = prefix + ".bias";
    return o.linear(x, prefix + ".weight", w.lazy(prefix + ".weight", out, in), out, in,
        w.has(bias) ? w.lazy(bias, out) : null);
  }

  private static Supplier<float[]> scaled(Supplier<float[]> values, float factor) {
    return () -> {
      float[] v = values.get();
      for (int e = 0; e < v.length; e++) {
        v[e] *= factor;
      }
      return v;
    };
  }

  private static float[] concat(float[]... parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static String rope(OnnxGraph g, String x, String cos, String sin, String rotM) {
    String rotated = g.op("MatMul", x, rotM);
    return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin));
  }
}
