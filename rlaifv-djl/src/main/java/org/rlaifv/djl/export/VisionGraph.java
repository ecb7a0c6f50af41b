package org.rlaifv.djl.export;

import java.util.List;
import org.rlaifv.djl.export.OnnxGraph.ElemType;

/**
 * Writes the vision encoder and projector as one ONNX graph: {@code pixel_values [B,3,S,S]} in,
 * {@code image_features [B,N,H]} out (the projected patch embeddings the decoder consumes).
 *
 * <p>Mirrors the DJL model: a stride-p patch convolution without bias, learned positions, a
 * pre-LayerNorm, CLIP encoder layers (pre-norm attention without mask, quick-GELU MLP) up to the
 * configured feature layer, then linear-GELU-linear.
 */
final class VisionGraph {
  private static final String V = "vision_tower.vision_model.";

  /** The sizes the graph needs. */
  record Shape(
      int imageSize,
      int patchSize,
      int hidden,
      int heads,
      int intermediate,
      int layersUsed,
      float layerNormEps,
      int textHidden) {
    int patches() {
      int g = imageSize / patchSize;
      return g * g;
    }
  }

  private VisionGraph() {}

  static OnnxGraph build(Shape s, WeightSource w) {
    OnnxGraph g = new OnnxGraph("vision_encoder");
    GraphOps o = new GraphOps(g);
    int dv = s.hidden();
    int n = s.patches();
    int p = s.patchSize();
    g.input("pixel_values", ElemType.FLOAT, "batch_size", 3, s.imageSize(), s.imageSize());
    String convW =
        g.initializer(
            OnnxConstant.ofFloats(
                V + "embeddings.patch_embedding.weight",
                w.get(V + "embeddings.patch_embedding.weight", dv, 3, p, p),
                dv,
                3,
                p,
                p));
    String x =
        g.op(
            "Conv",
            List.of("pixel_values", convW),
            OnnxAttribute.ofInts("kernel_shape", p, p),
            OnnxAttribute.ofInts("strides", p, p));
    x = o.transpose(o.reshape(x, 0, dv, n), 0, 2, 1);
    String pos =
        g.initializer(
            OnnxConstant.ofFloats(
                V + "embeddings.position_embedding.weight",
                w.get(V + "embeddings.position_embedding.weight", n, dv),
                n,
                dv));
    x = g.op("Add", x, pos);
    x = layerNorm(o, w, x, V + "pre_layrnorm", dv, s.layerNormEps());
    int hd = dv / s.heads();
    String scale = g.scalar((float) (1.0 / Math.sqrt(hd)));
    for (int i = 0; i < s.layersUsed(); i++) {
      String pre = V + "encoder.layers." + i + ".";
      String h = layerNorm(o, w, x, pre + "layer_norm1", dv, s.layerNormEps());
      String q = heads(o, linear(o, w, h, pre + "self_attn.q_proj", dv, dv), s.heads(), hd);
      String k = heads(o, linear(o, w, h, pre + "self_attn.k_proj", dv, dv), s.heads(), hd);
      String v = heads(o, linear(o, w, h, pre + "self_attn.v_proj", dv, dv), s.heads(), hd);
      String scores = g.op("MatMul", g.op("Mul", q, scale), o.transpose(k, 0, 1, 3, 2));
      String ctx = g.op("MatMul", o.softmax(scores), v);
      ctx = o.reshape(o.transpose(ctx, 0, 2, 1, 3), 0, 0, dv);
      x = g.op("Add", x, linear(o, w, ctx, pre + "self_attn.out_proj", dv, dv));
      h = layerNorm(o, w, x, pre + "layer_norm2", dv, s.layerNormEps());
      h = linear(o, w, h, pre + "mlp.fc1", s.intermediate(), dv);
      h = g.op("Mul", h, g.op("Sigmoid", g.op("Mul", h, g.scalar(1.702f))));
      x = g.op("Add", x, linear(o, w, h, pre + "mlp.fc2", dv, s.intermediate()));
    }
    String y = linear(o, w, x, "multi_modal_projector.linear_1", s.textHidden(), dv);
    y = o.gelu(y);
    y = linear(o, w, y, "multi_modal_projector.linear_2", s.textHidden(), s.textHidden());
    g.node("Identity", List.of(y), List.of("image_features"));
    g.output("image_features", ElemType.FLOAT, "batch_size", n, s.textHidden());
    return g;
  }

  private static String heads(GraphOps o, String x, int heads, int hd) {
    return o.transpose(o.reshape(x, 0, 0, heads, hd), 0, 2, 1, 3);
  }

  private static String linear(GraphOps o, WeightSource w, String x, String prefix, int out, int in) {
    return o.linear(
        x, prefix + ".weight", w.get(prefix + ".weight", out, in), out, in, w.get(prefix + ".bias", out));
  }

  private static String layerNorm(
      GraphOps o, WeightSource w, String x, String prefix, int dim, float eps) {
    return o.layerNorm(x, prefix, w.get(prefix + ".weight", dim), w.get(prefix + ".bias", dim), eps);
  }
}
