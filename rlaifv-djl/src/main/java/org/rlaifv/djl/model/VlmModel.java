package org.rlaifv.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.rlaifv.ModelFormatException;

/**
 * A LLaVA-style vision-language model built from NDArray operations: a CLIP-style vision encoder
 * (patch embedding, learned positions, pre-LayerNorm, transformer encoder layers with quick-GELU),
 * a two-layer GELU projector into the decoder's embedding space, and a LLaMA-style causal decoder
 * (RMSNorm, rotary positions, SwiGLU MLP, grouped-query attention, key/value cache). The decoder is
 * the one {@link CausalLmModel} runs too: both delegate to the same package-private {@code
 * TextDecoder}, configured by {@link VlmConfig#textConfig()}.
 *
 * <p>Parameters carry the Hugging Face LLaVA/LLaMA/CLIP names ({@code
 * language_model.model.layers.0.self_attn.q_proj.weight}, {@code
 * vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight}, {@code
 * multi_modal_projector.linear_1.weight}...), are float32 and are the trainable leaves: a trainer
 * attaches gradients to {@link #parameters()} and every method below is differentiable. Linear
 * weights are stored {@code [out, in]} as in PyTorch.
 *
 * <p>Ownership: the model owns its parameters in {@link #manager()} and frees them in {@link
 * #close()}, which the creator calls. Results of {@link #embed}, {@link #imageFeatures} and {@link
 * #forward} belong to the manager of their first input, so callers run them inside a sub-manager
 * of {@link #manager()} and close it afterwards. Concurrent forward calls are safe only when no
 * trainer is updating the parameters.
 *
 * <pre>{@code
 * try (VlmModel model = VlmModel.load(dir, Device.cpu());
 *     NDManager step = model.manager().newSubManager()) {
 *   NDArray logits = model.forward(embeds, mask, positions, null);
 * }
 * }</pre>
 */
public final class VlmModel implements AutoCloseable {
  static {
    org.rlaifv.djl.Devices.quietGpuProbe();
  }


  /** The weights file name in a model directory. */
  public static final String WEIGHTS_FILE = "model.safetensors";

  private static final String V = "vision_tower.vision_model.";
  private static final String L = "language_model.model.";
  private static final String LM_HEAD = "language_model.lm_head.weight";

  private final VlmConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> paramsView;
  private final TextDecoder decoder;
  private volatile LoraAdapter adapter;

  private VlmModel(VlmConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.manager = manager;
    this.params = params;
    this.paramsView = Collections.unmodifiableMap(params);
    this.decoder = new TextDecoder(config.textConfig(), params, L, LM_HEAD, this::linear);
  }

  /**
   * Returns the expected parameter names and shapes for a config, in the model's order.
   *
   * @param c the config
   * @return name to shape, insertion-ordered
   */
  public static Map<String, long[]> parameterShapes(VlmConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    VlmConfig.VisionConfig v = c.visionConfig();
    long dv = v.hiddenSize();
    long p = v.patchSize();
    s.put(V + "embeddings.patch_embedding.weight", new long[] {dv, 3, p, p});
    if (v.isSiglip()) {
      s.put(V + "embeddings.patch_embedding.bias", new long[] {dv});
    }
    if (v.classToken()) {
      s.put(V + "embeddings.class_embedding", new long[] {dv});
    }
    s.put(V + "embeddings.position_embedding.weight", new long[] {v.numPositions(), dv});
    if (!v.isSiglip()) {
      s.put(V + "pre_layrnorm.weight", new long[] {dv});
      s.put(V + "pre_layrnorm.bias", new long[] {dv});
    }
    for (int i = 0; i < v.numHiddenLayers(); i++) {
      String pre = V + "encoder.layers." + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
        s.put(pre + "self_attn." + proj + ".weight", new long[] {dv, dv});
        s.put(pre + "self_attn." + proj + ".bias", new long[] {dv});
      }
      s.put(pre + "layer_norm1.weight", new long[] {dv});
      s.put(pre + "layer_norm1.bias", new long[] {dv});
      s.put(pre + "mlp.fc1.weight", new long[] {v.intermediateSize(), dv});
      s.put(pre + "mlp.fc1.bias", new long[] {v.intermediateSize()});
      s.put(pre + "mlp.fc2.weight", new long[] {dv, v.intermediateSize()});
      s.put(pre + "mlp.fc2.bias", new long[] {dv});
      s.put(pre + "layer_norm2.weight", new long[] {dv});
      s.put(pre + "layer_norm2.bias", new long[] {dv});
    }
    long d = c.hiddenSize();
    s.put("multi_modal_projector.linear_1.weight", new long[] {d, dv});
    if (c.projectorBias()) {
      s.put("multi_modal_projector.linear_1.bias", new long[] {d});
    }
    s.put("multi_modal_projector.linear_2.weight", new long[] {d, d});
    if (c.projectorBias()) {
      s.put("multi_modal_projector.linear_2.bias", new long[] {d});
    }
    TextDecoder.addParameterShapes(c.textConfig(), L, LM_HEAD, s);
    return s;
  }

  /**
   * Creates a model with random weights: normal(0, initializer_range) for matrices and embeddings,
   * ones for norm scales, zeros for biases. The same config and seed give the same weights.
   *
   * @param config the sizes
   * @param seed the random seed
   * @param device where the parameters live
   * @return a new model, closed by the caller
   */
  public static VlmModel randomInit(VlmConfig config, long seed, Device device) {
    Random rng = new Random(seed);
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : parameterShapes(config).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      float[] data = new float[n];
      if (name.endsWith(".bias")) {
        // zeros
      } else if (name.contains("norm") || name.contains("layer_norm")) {
        Arrays.fill(data, 1f);
      } else {
        float std = (float) config.initializerRange();
        for (int i = 0; i < n; i++) {
          data[i] = (float) rng.nextGaussian() * std;
        }
      }
      tensors.put(name, new SafeTensors.Tensor(shape, data));
    }
    return fromTensors(config, tensors, device, "random init");
  }

  /**
   * Builds a model from tensors held in Java memory, checking names and shapes against the config.
   *
   * @param config the sizes
   * @param tensors name to tensor
   * @param device where the parameters live
   * @param source file name used in error messages
   * @return a new model, closed by the caller
   * @throws ModelFormatException naming the source and tensor when one is missing, unexpected or
   *     has the wrong shape
   */
  public static VlmModel fromTensors(
      VlmConfig config, Map<String, SafeTensors.Tensor> tensors, Device device, String source) {
    Map<String, long[]> expected = parameterShapes(config);
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name)) {
        throw new ModelFormatException(
            source + ": unexpected tensor " + name + " that config.json does not describe");
      }
    }
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      SafeTensors.Tensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new ModelFormatException(source + ": missing tensor " + e.getKey());
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new ModelFormatException(
            source + ": tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                + " but config.json implies " + Arrays.toString(e.getValue()));
      }
    }
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Map<String, NDArray> params = new LinkedHashMap<>();
      for (String name : expected.keySet()) {
        SafeTensors.Tensor t = tensors.get(name);
        NDArray a = manager.create(t.data(), new Shape(t.shape()));
        a.setName(name);
        params.put(name, a);
      }
      return new VlmModel(config, manager, params);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Loads {@code config.json} and the weights ({@code model.safetensors}, or shards listed in
   * {@code model.safetensors.index.json}, in either Hugging Face key layout) from a model directory.
   *
   * @param modelDir the directory
   * @param device where the parameters live
   * @return a new model, closed by the caller
   * @throws ModelFormatException naming the file (and tensor) when a file is missing, corrupt,
   *     truncated or does not match the config
   */
  public static VlmModel load(Path modelDir, Device device) {
    if (!Files.isDirectory(modelDir)) {
      throw new ModelFormatException("model directory " + modelDir + " does not exist");
    }
    VlmConfig config = VlmConfig.read(modelDir.resolve(VlmConfig.FILE_NAME));
    return HfWeights.load(modelDir, config, device);
  }

  /**
   * Returns this model's parameters under another config of the same shapes (for example one that
   * records the image token's id). The new model owns the parameters; this one must not be used
   * or closed afterwards.
   */
  VlmModel withConfig(VlmConfig newConfig) {
    if (!parameterShapes(newConfig).keySet().equals(params.keySet())) {
      throw new IllegalArgumentException("the new config describes other parameters");
    }
    return new VlmModel(newConfig, manager, params);
  }

  /** Wraps already created, checked parameters (the loader's path). */
  static VlmModel wrap(VlmConfig config, NDManager manager, Map<String, NDArray> params) {
    return new VlmModel(config, manager, params);
  }

  /**
   * Returns an independent copy of this model (same config and weights, new arrays), for example
   * a frozen reference for DPO.
   *
   * @param device where the copy's parameters live
   * @return a new model, closed by the caller
   */
  public VlmModel copy(Device device) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray a = e.getValue();
      tensors.put(e.getKey(), new SafeTensors.Tensor(a.getShape().getShape(), a.toFloatArray()));
    }
    return fromTensors(config, tensors, device, "copy");
  }

  /**
   * Writes {@code config.json} and {@code model.safetensors} (float32) into a directory, each
   * through a temp file and an atomic rename.
   *
   * @param modelDir the directory, created when absent
   */
  public void save(Path modelDir) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray a = e.getValue();
      float[] data = a.toType(DataType.FLOAT32, false).toFloatArray();
      tensors.put(e.getKey(), new SafeTensors.Tensor(a.getShape().getShape(), data));
    }
    SafeTensors.write(modelDir.resolve(WEIGHTS_FILE), tensors);
    config.write(modelDir.resolve(VlmConfig.FILE_NAME));
  }

  /**
   * Returns the sizes.
   *
   * @return the config
   */
  public VlmConfig config() {
    return config;
  }

  /**
   * Returns the manager owning the parameters; open sub-managers of it for per-call work.
   *
   * @return the model's manager
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * Returns the device the parameters live on.
   *
   * @return the device
   */
  public Device device() {
    return manager.getDevice();
  }

  /**
   * Returns the parameters by Hugging Face name, in a fixed order (vision encoder, projector,
   * decoder). The arrays are the model's own: updating them in place updates the model.
   *
   * @return an unmodifiable, insertion-ordered view
   */
  public Map<String, NDArray> parameters() {
    return paramsView;
  }

  /**
   * Returns the number of scalar parameters.
   *
   * @return the parameter count
   */
  public long parameterCount() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * Opens an empty key/value cache for this model.
   *
   * @param parent manager under which the cache opens its sub-manager
   * @return a new cache, closed by the caller
   */
  public KvCache newCache(NDManager parent) {
    return new KvCache(parent, config.numHiddenLayers());
  }

  private NDArray p(String name) {
    return params.get(name);
  }

  /**
   * Encodes images into decoder embeddings: vision encoder, then projector.
   *
   * @param pixels {@code [B, 3, image_size, image_size]} float32 in [0, 1]
   * @return {@code [B, numImageTokens, hidden_size]}, owned by the pixels' manager
   */
  public NDArray imageFeatures(NDArray pixels) {
    VlmConfig.VisionConfig v = config.visionConfig();
    Shape s = pixels.getShape();
    if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != v.imageSize() || s.get(3) != v.imageSize()) {
      throw new IllegalArgumentException(
          "pixels must be [B, 3, " + v.imageSize() + ", " + v.imageSize() + "], got " + s);
    }
    long b = s.get(0);
    long np = v.numPatches();
    long n = v.numPositions();
    long dv = v.hiddenSize();
    NDArray x =
        Conv2d.conv2d(
                pixels,
                p(V + "embeddings.patch_embedding.weight"),
                params.get(V + "embeddings.patch_embedding.bias"),
                new Shape(v.patchSize(), v.patchSize()))
            .singletonOrThrow();
    x = x.reshape(b, dv, np).transpose(0, 2, 1);
    if (v.classToken()) {
      NDArray cls = NdOps.work(p(V + "embeddings.class_embedding").reshape(1, 1, dv), x).broadcast(b, 1, dv);
      x = cls.concat(x, 1);
    }
    x = x.add(p(V + "embeddings.position_embedding.weight"));
    float eps = (float) v.layerNormEps();
    if (!v.isSiglip()) {
      x = layerNorm(x, V + "pre_layrnorm", eps);
    }
    int heads = v.numAttentionHeads();
    long hd = dv / heads;
    for (int i = 0; i < config.visionLayersUsed(); i++) {
      String pre = V + "encoder.layers." + i + ".";
      NDManager scope = NdOps.beginLayer(x);
      NDArray h = layerNorm(x, pre + "layer_norm1", eps);
      NDArray q = linear(h, pre + "self_attn.q_proj").reshape(b, n, heads, hd).transpose(0, 2, 1, 3);
      NDArray k = linear(h, pre + "self_attn.k_proj").reshape(b, n, heads, hd).transpose(0, 2, 1, 3);
      NDArray val = linear(h, pre + "self_attn.v_proj").reshape(b, n, heads, hd).transpose(0, 2, 1, 3);
      NDArray a = NdOps.attention(q, k, val, null, b, n, heads, heads, hd);
      x = x.add(linear(a, pre + "self_attn.out_proj"));
      h = layerNorm(x, pre + "layer_norm2", eps);
      h = NdOps.activation(linear(h, pre + "mlp.fc1"), v.hiddenAct());
      x = NdOps.endLayer(x.add(linear(h, pre + "mlp.fc2")), scope);
    }
    if ("default".equals(config.visionFeatureSelectStrategy())) {
      x = x.get(":, 1:, :");
    }
    NDArray y = linear(x, "multi_modal_projector.linear_1");
    y = NdOps.activation(y, config.projectorHiddenAct());
    return linear(y, "multi_modal_projector.linear_2");
  }

  /**
   * Looks up token embeddings.
   *
   * @param tokenIds {@code [B, T]} int64 token ids
   * @return {@code [B, T, hidden_size]}, owned by the ids' manager
   */
  public NDArray embed(NDArray tokenIds) {
    return decoder.embed(tokenIds);
  }

  /**
   * Runs the decoder and returns next-token logits at every position.
   *
   * @param inputsEmbeds {@code [B, T, hidden_size]} input embeddings (text and image positions)
   * @param attentionMask {@code [B, Tpast + T]} with 1 for real positions and 0 for padding (left,
   *     right or in between); past positions come first
   * @param positionIds {@code [B, T]} int64 rotary positions of the new positions
   * @param cacheOrNull a cache holding the {@code Tpast} earlier positions, appended in place; null
   *     for an uncached forward ({@code Tpast = 0})
   * @return logits {@code [B, T, vocab_size]}, owned by the embeddings' manager
   */
  public NDArray forward(
      NDArray inputsEmbeds, NDArray attentionMask, NDArray positionIds, KvCache cacheOrNull) {
    return logits(hiddenStates(inputsEmbeds, attentionMask, positionIds, cacheOrNull));
  }

  /**
   * Projects final hidden states to vocabulary logits.
   *
   * @param hidden {@code [..., hidden_size]} output of {@link #hiddenStates}
   * @return {@code [..., vocab_size]}, owned by the hidden states' manager
   */
  public NDArray logits(NDArray hidden) {
    return decoder.logits(hidden);
  }

  /**
   * Runs the decoder and returns the final (normed) hidden states; {@link #forward} is {@code
   * logits(hiddenStates(...))}. Use it to project only the positions that are needed.
   *
   * @param inputsEmbeds {@code [B, T, hidden_size]}
   * @param attentionMask {@code [B, Tpast + T]}, 1 real, 0 padding
   * @param positionIds {@code [B, T]} int64 rotary positions
   * @param cacheOrNull cache appended in place, or null
   * @return {@code [B, T, hidden_size]}, owned by the embeddings' manager
   */
  public NDArray hiddenStates(
      NDArray inputsEmbeds, NDArray attentionMask, NDArray positionIds, KvCache cacheOrNull) {
    return decoder.hiddenStates(inputsEmbeds, attentionMask, positionIds, cacheOrNull);
  }

  private NDArray linear(NDArray x, String prefix) {
    NDArray y = NdOps.linear(params, x, prefix);
    LoraAdapter a = adapter;
    return a == null ? y : a.apply(x, prefix, y);
  }

  /**
   * Attaches low-rank adapters: from now on every forward adds them (while they are enabled). The
   * model does not own the adapter, but closing the model frees it (its arrays live under the
   * model's manager).
   *
   * @param lora adapters made for this model ({@link LoraAdapter#create}, {@link
   *     LoraAdapter#load})
   * @throws IllegalStateException when an adapter is already attached
   */
  public void attachAdapter(LoraAdapter lora) {
    if (adapter != null) {
      throw new IllegalStateException("an adapter is already attached; merge or detach it first");
    }
    adapter = Objects.requireNonNull(lora, "lora");
  }

  /**
   * Returns the attached adapter.
   *
   * @return the adapter, or empty
   */
  public Optional<LoraAdapter> adapter() {
    return Optional.ofNullable(adapter);
  }

  /**
   * Detaches the adapter (the base model computes alone again) without closing it.
   *
   * @return the adapter that was attached, or empty
   */
  public Optional<LoraAdapter> detachAdapter() {
    LoraAdapter a = adapter;
    adapter = null;
    return Optional.ofNullable(a);
  }

  /**
   * Merges the attached adapter into the weights ({@code W += s B A}, in place, no autograd),
   * detaches and closes it. Afterwards {@link #save} writes the merged model.
   *
   * @throws IllegalStateException when no adapter is attached
   */
  public void mergeAdapter() {
    LoraAdapter a = detachAdapter()
        .orElseThrow(() -> new IllegalStateException("no adapter is attached"));
    try {
      a.mergeInto(params);
    } finally {
      a.close();
    }
  }

  private NDArray layerNorm(NDArray x, String prefix, float eps) {
    return NdOps.layerNorm(params, x, prefix, eps);
  }

  /**
   * Returns rotary positions for new positions from a full attention mask: the count of real
   * positions before each one (so padding anywhere is skipped).
   *
   * @param attentionMask {@code [B, Tpast + T]} 1/0 mask, int64
   * @param newPositions {@code T}, the number of trailing positions wanted
   * @return {@code [B, T]} int64, owned by the mask's manager
   */
  public static NDArray positionsFromMask(NDArray attentionMask, int newPositions) {
    return TextDecoder.positionsFromMask(attentionMask, newPositions);
  }

  /**
   * Lists parameter names.
   *
   * @return the names in model order
   */
  public List<String> parameterNames() {
    return new ArrayList<>(params.keySet());
  }

  /** Frees the parameters. */
  @Override
  public void close() {
    manager.close();
  }
}
