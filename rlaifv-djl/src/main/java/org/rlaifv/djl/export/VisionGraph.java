package org.rlaifv.djl.export;

import java.util.List;
import org.rlaifv.djl.export.OnnxGraph.ElemType;

/**
 * Writes the vision encoder and projector as one ONNX graph: {@code pixel_values [B,3,S,S]} in,
 * {@code image_features [B,N,H]} out (the projected features the decoder consumes).
 *
 * <p>Mirrors the DJL model for both towers: a CLIP tower (stride-p patch convolution without bias,
 * a class embedding before the patches when the model has one, learned positions, pre-LayerNorm)
 * or a SigLIP tower (patch convolution with bias, no class token, no pre-LayerNorm); encoder layers
 * (pre-norm attention without mask, the tower's MLP activation) up to the configured feature
 * layer; the first feature dropped under the {@code default} select strategy; then linear,
 * activation, linear with or without biases.
 */
final class VisionGraph {
  private static final String V = "vision_tower.vision_model.";

  /** The sizes and variants the graph needs. */
  record Shape(
      int imageSize,
      int patchSize,
      int hidden,
      int heads,
      int intermediate,
      int layersUsed,
      float layerNormEps,
      int textHidden,
      boolean classToken,
      boolean preLayerNorm,
      String hiddenAct,
      boolean dropFirstFeature,
      String projectorAct) {
    int patches() {
      int g = imageSize / patchSize;
      return g * g;
    }

    int positions() {
      return patches() + (classToken ? 1 : 0);
    }

    int features() {
      return positions() - (dropFirstFeature ? 1 : 0);
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
    String convName = V + "embeddings.patch_embedding.weight";
    String convW =
        g.initializer(OnnxConstant.lazyFloats(convName, w.lazy(convName, dv, 3, p, p), dv, 3, p, p));
    String convBiasName = V + "embeddings.patch_embedding.bias";
    List<String> convIn =
        w.has(convBiasName)
            ? List.of(
                "pixel_values",
                convW,
                g.initializer(OnnxConstant.lazyFloats(convBiasName, w.lazy(convBiasName, dv), dv)))
            : List.of("pixel_values", convW);
    String x =
        g.op(
            "Conv",
            convIn,
            OnnxAttribute.ofInts("kernel_shape", p, p),
            OnnxAttribute.ofInts("strides", p, p));
    x = o.transpose(o.reshape(x, 0, dv, n), 0, 2, 1);
    if (s.classToken()) {
      String clsName = V + "embeddings.class_embedding";
      String cls = g.initializer(OnnxConstant.lazyFloats(clsName, w.lazy(clsName, dv), 1, 1, dv));
      String shape = o.concat(0, o.dim("pixel_values", 0), g.ints(1, dv));
      x = o.concat(1, g.op("Expand", cls, shape), x);
    }
    String posName = V + "embeddings.position_embedding.weight";
    int positions = s.positions();
    String pos =
        g.initializer(
            OnnxConstant.lazyFloats(posName, w.lazy(posName, positions, dv), positions, dv));
    x = g.op("Add", x, pos);
    if (s.preLayerNorm()) {
      x = layerNorm(o, w, x, V + "pre_layrnorm", dv, s.layerNormEps());
    }
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
      h = o.activation(linear(o, w, h, pre + "mlp.fc1", s.intermediate(), dv), s.hiddenAct());
      x = g.op("Add", x, linear(o, w, h, pre + "mlp.fc2", dv, s.intermediate()));
    }
    if (s.dropFirstFeature()) {
      x =
          g.op(
              "Slice",
              x,
              g.ints(1),
              g.ints(Long.MAX_VALUE),
              g.ints(1));
    }
    String y = linear(o, w, x, "multi_modal_projector.linear_1", s.textHidden(), dv);
    y = o.activation(y, s.projectorAct());
    y = linear(o, w, y, "multi_modal_projector.linear_2", s.textHidden(), s.textHidden());
    g.node("Identity", List.of(y), List.of("image_features"));
    g.output("image_features", ElemType.FLOAT, "batch_size", s.features(), s.textHidden());
    return g;
  }

  private static String heads(GraphOps o, String x, int heads, int hd) {
    return o.transpose(o.reshape(x, 0, 0, heads, hd), 0, 2, 1, 3);
  }

  /** A linear layer {@code prefix.weight} with its {@code prefix.bias} when the model has one. */
  private static String linear(GraphOps o, WeightSource w, String x, String prefix, int out, int in) {
    String bias = prefix + ".bias";
    return o.linear(x, prefix + ".weight", w.lazy(prefix + ".weight", out, in), out, in,
        w.has(bias) ? w.lazy(bias, out) : null);
  }

  private static String layerNorm(
      GraphOps o, WeightSource w, String x, String prefix, int dim, float eps) {
    return o.layerNorm(x, prefix, w.lazy(prefix + ".weight", dim), w.lazy(prefix + ".bias", dim),
        dim, eps);
  }
}
