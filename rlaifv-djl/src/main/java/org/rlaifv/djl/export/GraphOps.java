package org.rlaifv.djl.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Composite operations over an {@link OnnxGraph}: the layers of the VLM written with opset-17
 * primitives (no native RMSNorm or rotary ops exist there).
 */
final class GraphOps {
  private final OnnxGraph g;

  GraphOps(OnnxGraph g) {
    this.g = g;
  }

  OnnxGraph graph() {
    return g;
  }

  String op(String type, String... in) {
    return g.op(type, in);
  }

  /**
   * {@code x @ W^T (+ b)} for a weight stored {@code [out, in]} as PyTorch and DJL keep it; the
   * graph stores the transpose, {@code name + ".T"}.
   *
   * @param bias the bias of width {@code out}, or null for none
   */
  String linear(
      String x, String name, Supplier<float[]> weightOutIn, int out, int in, Supplier<float[]> bias) {
    return fusedLinear(x, name + ".T", List.of(weightOutIn), new int[] {out}, in,
        bias == null ? null : name.replace(".weight", ".bias"), bias).get(0);
  }

  /**
   * RMSNorm over the last axis, {@code x / sqrt(mean(x^2) + eps) * w}, written as Pow, ReduceMean,
   * Add, Sqrt, Div and Mul: the form ONNX Runtime fuses into one SimplifiedLayerNormalization node.
   */
  String rmsNorm(String x, String name, Supplier<float[]> weight, int dim, float eps) {
    String sq = g.op("Pow", x, g.scalar(2f));
    String mean =
        g.op(
            "ReduceMean",
            List.of(sq),
            OnnxAttribute.ofInts("axes", -1),
            OnnxAttribute.ofInt("keepdims", 1));
    String rms = g.op("Sqrt", g.op("Add", mean, g.scalar(eps)));
    String normed = g.op("Div", x, rms);
    String w = g.initializer(OnnxConstant.lazyFloats(name, weight, dim));
    return g.op("Mul", normed, w);
  }

  /**
   * Several linear maps of one input as one MatMul over their concatenated (transposed) weights,
   * plus their concatenated biases, split back along the last axis. The weights are read and
   * transposed when the graph is written.
   *
   * @param x the input, {@code [..., in]}
   * @param name the initializer name of the concatenated weight
   * @param weightsOutIn each map's weight, {@code out_k x in}, row-major
   * @param outs each map's output width
   * @param in the input width
   * @param biasName the initializer name of the concatenated bias, or null for none
   * @param bias the concatenated bias (width the sum of {@code outs}), or null for none
   * @return one output name per map, in order
   */
  List<String> fusedLinear(String x, String name, List<Supplier<float[]>> weightsOutIn, int[] outs,
      int in, String biasName, Supplier<float[]> bias) {
    int sum = 0;
    for (int o : outs) {
      sum += o;
    }
    int total = sum;
    Supplier<float[]> transposed =
        () -> {
          float[] t = new float[Math.multiplyExact(in, total)];
          int col = 0;
          for (int k = 0; k < outs.length; k++) {
            float[] w = weightsOutIn.get(k).get();
            for (int o = 0; o < outs[k]; o++) {
              for (int i = 0; i < in; i++) {
                t[i * total + col + o] = w[o * in + i];
              }
            }
            col += outs[k];
          }
          return t;
        };
    String y = g.op("MatMul", x, g.initializer(OnnxConstant.lazyFloats(name, transposed, in, total)));
    if (bias != null) {
      y = g.op("Add", y, g.initializer(OnnxConstant.lazyFloats(biasName, bias, total)));
    }
    if (outs.length == 1) {
      return List.of(y);
    }
    long[] sizes = new long[outs.length];
    for (int k = 0; k < outs.length; k++) {
      sizes[k] = outs[k];
    }
    return split(y, -1, sizes);
  }

  /**
   * Splits a tensor along one axis.
   *
   * @param x the input
   * @param axis the axis
   * @param sizes the part sizes along it
   * @return one output name per part
   */
  List<String> split(String x, long axis, long... sizes) {
    List<String> out = new ArrayList<>(sizes.length);
    for (int k = 0; k < sizes.length; k++) {
      out.add(g.fresh("split"));
    }
    g.node("Split", List.of(x, g.ints(sizes)), out, OnnxAttribute.ofInt("axis", axis));
    return out;
  }

  /** LayerNorm over the last axis with weight and bias (biased variance, as PyTorch). */
  String layerNorm(
      String x, String name, Supplier<float[]> weight, Supplier<float[]> bias, int dim, float eps) {
    String w = g.initializer(OnnxConstant.lazyFloats(name + ".weight", weight, dim));
    String b = g.initializer(OnnxConstant.lazyFloats(name + ".bias", bias, dim));
    return g.op(
        "LayerNormalization",
        List.of(x, w, b),
        OnnxAttribute.ofInt("axis", -1),
        OnnxAttribute.ofFloat("epsilon", eps));
  }

  /** SiLU: {@code x * sigmoid(x)}. */
  String silu(String x) {
    return g.op("Mul", x, g.op("Sigmoid", x));
  }

  /** Exact GELU: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
  String gelu(String x) {
    String e = g.op("Erf", g.op("Div", x, g.scalar((float) Math.sqrt(2.0))));
    return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", e, g.scalar(1f)));
  }

  /** Quick GELU: {@code x * sigmoid(1.702 x)}. */
  String quickGelu(String x) {
    return g.op("Mul", x, g.op("Sigmoid", g.op("Mul", x, g.scalar(1.702f))));
  }

  /**
   * A Hugging Face activation by its {@code ACT2FN} name, as the DJL model computes it.
   *
   * @throws IllegalArgumentException for a name the model does not run
   */
  String activation(String x, String name) {
    return switch (name) {
      case "quick_gelu" -> quickGelu(x);
      case "gelu" -> gelu(x);
      case "gelu_pytorch_tanh", "gelu_new" -> geluTanh(x);
      case "silu" -> silu(x);
      case "relu" -> g.op("Relu", x);
      default -> throw new IllegalArgumentException("activation " + name + " has no ONNX form");
    };
  }

  /** Tanh-approximated GELU. */
  String geluTanh(String x) {
    String x3 = g.op("Mul", g.op("Mul", x, x), x);
    String inner =
        g.op(
            "Mul",
            g.op("Add", x, g.op("Mul", x3, g.scalar(0.044715f))),
            g.scalar((float) Math.sqrt(2.0 / Math.PI)));
    String t = g.op("Tanh", inner);
    return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", t, g.scalar(1f)));
  }

  String reshape(String x, long... shape) {
    return g.op("Reshape", x, g.ints(shape));
  }

  String transpose(String x, long... perm) {
    return g.op("Transpose", List.of(x), OnnxAttribute.ofInts("perm", perm));
  }

  String unsqueeze(String x, long... axes) {
    return g.op("Unsqueeze", x, g.ints(axes));
  }

  String softmax(String x) {
    return g.op("Softmax", List.of(x), OnnxAttribute.ofInt("axis", -1));
  }

  String concat(long axis, String... xs) {
    return g.op("Concat", List.of(xs), OnnxAttribute.ofInt("axis", axis));
  }

  String cast(String x, int to) {
    return g.op("Cast", List.of(x), OnnxAttribute.ofInt("to", to));
  }

  /** One dimension of a value's shape as a 1-D int64 tensor of length 1. */
  String dim(String x, long axis) {
    return g.op(
        "Shape", List.of(x), OnnxAttribute.ofInt("start", axis), OnnxAttribute.ofInt("end", axis + 1));
  }

  /** Drops axis 0 of a length-1 tensor, giving a scalar. */
  String squeeze0(String x) {
    return g.op("Squeeze", x, g.ints(0));
  }
}
