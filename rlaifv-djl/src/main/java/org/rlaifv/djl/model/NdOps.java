package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * The NDArray building blocks shared by the vision encoder and the text decoder: linear layers,
 * norms, activations and (grouped-query, optionally shared-prefix) attention. Results belong to
 * the manager of the input.
 */
final class NdOps {
  private NdOps() {}

  /** Applies a Hugging Face activation by its {@code ACT2FN} name. */
  static NDArray activation(NDArray x, String name) {
    return switch (name) {
      case "quick_gelu" -> x.mul(Activation.sigmoid(x.mul(Scalars.of(x, 1.702f))));
      case "gelu" -> Activation.gelu(x);
      case "gelu_pytorch_tanh", "gelu_new" -> {
        // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
        NDArray inner =
            x.add(x.pow(Scalars.of(x, 3f)).mul(Scalars.of(x, 0.044715f)))
                .mul(Scalars.of(x, (float) Math.sqrt(2.0 / Math.PI)));
        yield x.mul(Scalars.of(x, 0.5f)).mul(inner.tanh().add(Scalars.of(x, 1f)));
      }
      case "silu" -> x.mul(Activation.sigmoid(x));
      case "relu" -> Activation.relu(x);
      default -> throw new IllegalStateException("activation " + name);
    };
  }

  /** {@code x W^T + b} with the weight (and bias, when present) named {@code prefix.weight/.bias}. */
  static NDArray linear(Map<String, NDArray> params, NDArray x, String prefix) {
    NDArray bias = params.get(prefix + ".bias");
    return Linear.linear(x, params.get(prefix + ".weight"), bias).singletonOrThrow();
  }

  static NDArray layerNorm(Map<String, NDArray> params, NDArray x, String prefix, float eps) {
    NDArray w = params.get(prefix + ".weight");
    return LayerNorm.layerNorm(x, w.getShape(), w, params.get(prefix + ".bias"), eps)
        .singletonOrThrow();
  }

  static NDArray rmsNorm(NDArray x, NDArray weight, float eps) {
    NDArray r = x.mul(x).mean(new int[] {-1}, true).add(eps).pow(Scalars.of(x, -0.5f));
    return x.mul(r).mul(weight);
  }

  /**
   * Opens a scope for one layer's intermediates, a sub-manager of {@code x}'s manager that {@code
   * x} joins until {@link #endLayer} closes it. Without it every intermediate of every layer lives
   * until the caller's manager closes: several GB for a 0.5B model's prefill. Autograd keeps what
   * backward needs on its own, so training is unaffected.
   */
  static NDManager beginLayer(NDArray x) {
    NDManager scope = x.getManager().newSubManager();
    x.tempAttach(scope);
    return scope;
  }

  /** Moves a layer's output to the manager the layer's input came from and frees the rest. */
  static NDArray endLayer(NDArray out, NDManager scope) {
    out.attach(scope.getParentManager());
    scope.close();
    return out;
  }

  /** Moves an array made from a cached array into the per-call manager of {@code like}. */
  static NDArray work(NDArray derived, NDArray like) {
    derived.attach(like.getManager());
    return derived;
  }

  /**
   * Multi-head attention with grouped key/value heads. q: [B, H, T, hd]; k, v: [B, KV, Tk, hd];
   * bias: [B, 1, 1, T, Tk] additive or null. Returns [B, T, H * hd].
   */
  static NDArray attention(
      NDArray q, NDArray k, NDArray v, NDArray bias, long b, long t, int heads, int kvHeads, long hd) {
    long groups = heads / kvHeads;
    long tk = k.getShape().get(2);
    NDArray qs = q.mul(Scalars.of(q, (float) (1.0 / Math.sqrt(hd)))).reshape(b, kvHeads, groups * t, hd);
    NDArray scores = qs.matMul(work(k.transpose(0, 1, 3, 2), qs));
    if (bias != null) {
      scores = scores.reshape(b, kvHeads, groups, t, tk).add(bias).reshape(b, kvHeads, groups * t, tk);
    }
    NDArray probs = scores.softmax(-1);
    return probs.matMul(v).reshape(b, heads, t, hd).transpose(0, 2, 1, 3).reshape(b, t, heads * hd);
  }

  /**
   * Attention over a shared prefix (sk, sv: [G, KV, Tp, hd], row j of the batch uses prefix row
   * j / repeats, read by broadcasting) followed by the row's own keys (k, v: [B, KV, Town, hd]).
   */
  static NDArray sharedAttention(
      NDArray q, NDArray sk, NDArray sv, int repeats, NDArray k, NDArray v, NDArray bias, long b,
      long t, int heads, int kvHeads, long hd) {
    long groups = heads / kvHeads;
    long g = b / repeats;
    long tp = sk.getShape().get(2);
    long tk = tp + k.getShape().get(2);
    long gt = groups * t;
    NDArray qs = q.mul(Scalars.of(q, (float) (1.0 / Math.sqrt(hd)))).reshape(b, kvHeads, gt, hd);
    // Fold the rows that share a prefix row into the query axis, so the prefix keys are used in
    // place: a broadcast matmul would materialise the prefix once per row.
    NDArray qFold =
        qs.reshape(g, repeats, kvHeads, gt, hd).transpose(0, 2, 1, 3, 4).reshape(g, kvHeads, repeats * gt, hd);
    NDArray s1 =
        qFold.matMul(work(sk.transpose(0, 1, 3, 2), qs))
            .reshape(g, kvHeads, repeats, gt, tp)
            .transpose(0, 2, 1, 3, 4)
            .reshape(b, kvHeads, gt, tp);
    NDArray s2 = qs.matMul(work(k.transpose(0, 1, 3, 2), qs));
    NDArray scores =
        s1.concat(s2, -1).reshape(b, kvHeads, groups, t, tk).add(bias).reshape(b, kvHeads, gt, tk);
    NDArray probs = scores.softmax(-1);
    NDArray p1 =
        probs.get("..., :" + tp)
            .reshape(g, repeats, kvHeads, gt, tp)
            .transpose(0, 2, 1, 3, 4)
            .reshape(g, kvHeads, repeats * gt, tp);
    NDArray p2 = probs.get("..., " + tp + ":");
    NDArray o1 =
        p1.matMul(sv)
            .reshape(g, kvHeads, repeats, gt, hd)
            .transpose(0, 2, 1, 3, 4)
            .reshape(b, kvHeads, gt, hd);
    NDArray o = o1.add(p2.matMul(v));
    return o.reshape(b, heads, t, hd).transpose(0, 2, 1, 3).reshape(b, t, heads * hd);
  }
}
