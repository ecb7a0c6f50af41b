package org.rlaifv.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.internal.TextGeneration;

/**
 * A text-only causal language model ({@code LlamaForCausalLM}, {@code MistralForCausalLM}, {@code
 * Qwen2ForCausalLM}): the same decoder as {@link VlmModel}'s text model, with parameters under
 * Hugging Face's causal-LM names ({@code model.embed_tokens.weight}, {@code
 * model.layers.0.self_attn.q_proj.weight}, ..., {@code model.norm.weight}, {@code lm_head.weight}
 * unless the head is tied), held as float32.
 *
 * <p>Ownership: the model owns its parameters in {@link #manager()} and frees them in {@link
 * #close()}, which the creator calls. Results of {@link #embed}, {@link #hiddenStates} and {@link
 * #forward} belong to the manager of their first input; callers run them inside a sub-manager of
 * {@link #manager()}. Forward calls may run concurrently.
 *
 * <pre>{@code
 * try (CausalLmModel lm = CausalLmModel.load(Path.of("Qwen2.5-0.5B-Instruct"), Device.cpu());
 *     NDManager step = lm.manager().newSubManager()) {
 *   NDArray logits = lm.lastLogits(step, List.of(ids), 0, null); // [1, vocab_size]
 * }
 * }</pre>
 */
public final class CausalLmModel implements AutoCloseable {

  /** The decoder's name prefix. */
  static final String PREFIX = "model.";

  /** The untied LM head's weight name. */
  static final String LM_HEAD = "lm_head.weight";

  private final TextConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> paramsView;
  private final TextDecoder decoder;

  private CausalLmModel(TextConfig config, NDManager manager, Map<String, NDArray> params) {
    this.config = config;
    this.manager = manager;
    this.params = params;
    this.paramsView = Collections.unmodifiableMap(params);
    this.decoder = new TextDecoder(config, params, PREFIX, LM_HEAD,
        (x, name) -> NdOps.linear(params, x, name));
  }

  /** Wraps already created, checked parameters (the loader's path). */
  static CausalLmModel wrap(TextConfig config, NDManager manager, Map<String, NDArray> params) {
    return new CausalLmModel(config, manager, params);
  }

  /**
   * Returns the expected parameter names and shapes for a config, in the model's order.
   *
   * @param c the config
   * @return name to shape, insertion-ordered
   */
  public static Map<String, long[]> parameterShapes(TextConfig c) {
    Map<String, long[]> s = new LinkedHashMap<>();
    TextDecoder.addParameterShapes(c, PREFIX, LM_HEAD, s);
    return s;
  }

  /**
   * Loads {@code config.json} and the weights ({@code model.safetensors}, or shards listed in
   * {@code model.safetensors.index.json}; F32, F16 or BF16) of a causal LM directory.
   *
   * @param modelDir the directory
   * @param device where the parameters live
   * @return a new model, closed by the caller
   * @throws ModelFormatException naming the file (and tensor) when a file is missing, corrupt,
   *     truncated or does not match the config
   * @throws org.rlaifv.BackendException when the float32 model does not fit in memory
   */
  public static CausalLmModel load(Path modelDir, Device device) {
    if (!Files.isDirectory(modelDir)) {
      throw new ModelFormatException("model directory " + modelDir + " does not exist");
    }
    TextConfig config = TextConfig.read(modelDir.resolve(VlmConfig.FILE_NAME));
    return HfWeights.loadCausalLm(modelDir, config, device);
  }

  /**
   * Returns the sizes.
   *
   * @return the config
   */
  public TextConfig config() {
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
   * Returns the parameters by Hugging Face name, in model order.
   *
   * @return an unmodifiable, insertion-ordered view of the model's own arrays
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
   * Runs the decoder and returns the final (normed) hidden states.
   *
   * @param inputsEmbeds {@code [B, T, hidden_size]}
   * @param attentionMask {@code [B, Tpast + T]}, 1 real, 0 padding; past positions first
   * @param positionIds {@code [B, T]} int64 rotary positions
   * @param cacheOrNull cache holding the past positions, appended in place; or null
   * @return {@code [B, T, hidden_size]}, owned by the embeddings' manager
   */
  public NDArray hiddenStates(
      NDArray inputsEmbeds, NDArray attentionMask, NDArray positionIds, KvCache cacheOrNull) {
    return decoder.hiddenStates(inputsEmbeds, attentionMask, positionIds, cacheOrNull);
  }

  /**
   * Projects final hidden states to vocabulary logits.
   *
   * @param hidden {@code [..., hidden_size]}
   * @return {@code [..., vocab_size]}, owned by the hidden states' manager
   */
  public NDArray logits(NDArray hidden) {
    return decoder.logits(hidden);
  }

  /**
   * Runs the decoder and returns next-token logits at every position.
   *
   * @param inputsEmbeds {@code [B, T, hidden_size]}
   * @param attentionMask {@code [B, Tpast + T]}, 1 real, 0 padding
   * @param positionIds {@code [B, T]} int64 rotary positions
   * @param cacheOrNull cache appended in place, or null
   * @return {@code [B, T, vocab_size]}, owned by the embeddings' manager
   */
  public NDArray forward(
      NDArray inputsEmbeds, NDArray attentionMask, NDArray positionIds, KvCache cacheOrNull) {
    return logits(hiddenStates(inputsEmbeds, attentionMask, positionIds, cacheOrNull));
  }

  /**
   * Runs token sequences of different lengths as one left-padded batch and returns each row's
   * next-token logits. Padding sits before each sequence, is masked, and is skipped by the rotary
   * positions (a row's first real token is at position 0), so every row gets the logits it gets
   * alone; the last column is every row's last real token.
   *
   * @param m manager that owns the result and the intermediates
   * @param ids the sequences, each at least one token
   * @param padId the id written into padding positions (never attended to)
   * @param cacheOrNull an empty cache to fill with the batch's keys and values, or null
   * @return {@code [B, vocab_size]} float32, owned by {@code m}
   * @throws IllegalArgumentException when a sequence is empty
   */
  public NDArray lastLogits(NDManager m, List<long[]> ids, long padId, KvCache cacheOrNull) {
    int b = ids.size();
    TextGeneration.LeftPadded batch = TextGeneration.LeftPadded.of(ids, padId);
    int width = batch.width();
    long[] tokens = batch.tokens();
    long[] mask = batch.mask();
    NDArray maskArr = m.create(mask, new Shape(b, width));
    NDArray embeds = embed(m.create(tokens, new Shape(b, width)));
    NDArray hidden =
        hiddenStates(embeds, maskArr, TextDecoder.positionsFromMask(maskArr, width), cacheOrNull);
    return logits(hidden.get(":, " + (width - 1) + ", :"));
  }

  /** Frees the parameters. */
  @Override
  public void close() {
    manager.close();
  }
}
