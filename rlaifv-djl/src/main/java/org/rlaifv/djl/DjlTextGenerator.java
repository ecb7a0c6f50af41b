package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Provenance;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.internal.TextGeneration;
import org.rlaifv.core.text.Completion;
import org.rlaifv.djl.model.CausalLmModel;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.spi.BackendOptions;

/**
 * A {@link TextGenerator} on a Hugging Face causal LM ({@code LlamaForCausalLM}, {@code
 * MistralForCausalLM}, {@code Qwen2ForCausalLM}) run by DJL.
 *
 * <p>Each prompt becomes one user turn of the model's chat template with the generation prompt
 * ({@link LoadedCausalLm#promptIds(String)}). Decoding is greedy at temperature 0 and otherwise
 * samples (temperature, top-k, top-p) from a {@code SplittableRandom} seeded with {@code Seeds.mix(decoding.seedFor(0), prompt)}, so a prompt's text depends on the
 * prompt and the base seed only. A completion ends at any end-of-sequence id of the model (not
 * part of the text), at a stop string (the text is cut before it) or after {@code
 * decoding.maxNewTokens()} tokens, or when the model's {@code max_position_embeddings} is
 * reached.
 *
 * <p>{@link #generateAll} runs prompts as left-padded batches of up to {@link
 * BackendOptions#batchSize()} rows, longest first: padding is masked and skipped by the rotary
 * positions, one prefill fills a key/value cache, and every row then decodes one token per step
 * until it finishes and leaves the batch. A prompt's completion is the same alone or in a batch.
 * The loop is core's {@link TextGeneration}, which the ONNX Runtime generator runs too.
 *
 * <p>Closing the generator closes the model when it was opened on a model directory (by {@link
 * DjlBackendProvider}); a generator built on a caller's {@link LoadedCausalLm} leaves it open.
 * Not thread-safe.
 *
 * <pre>{@code
 * try (DjlTextGenerator llm = new DjlTextGenerator(lm, TextGenerator.greedy(256),
 *     BackendOptions.defaults(), false)) {
 *   ClaimSplitter splitter = new PromptedClaimSplitter(llm);
 * }
 * }</pre>
 */
public final class DjlTextGenerator implements TextGenerator {
  private final LoadedCausalLm lm;
  private final SamplingParams decoding;
  private final int batchSize;
  private final boolean ownsModel;
  private Provenance provenance;

  /**
   * Creates a generator over an opened causal LM.
   *
   * @param lm the model
   * @param decoding temperature (0 = greedy), top-k, top-p, token limit, base seed and stop
   *     strings; {@code n} must be 1
   * @param options batch size (largest number of prompts decoded together)
   * @param ownsModel whether {@link #close()} closes {@code lm}
   * @throws InvalidInputException when {@code decoding.n()} is not 1
   */
  public DjlTextGenerator(
      LoadedCausalLm lm, SamplingParams decoding, BackendOptions options, boolean ownsModel) {
    if (decoding.n() != 1) {
      throw new InvalidInputException(
          "a text generator makes one completion per prompt: decoding n must be 1, got "
              + decoding.n());
    }
    this.lm = lm;
    this.decoding = decoding;
    this.batchSize = options.batchSize();
    this.ownsModel = ownsModel;
  }

  /**
   * Returns the model generated from.
   *
   * @return the model, owned as described in the class documentation
   */
  public LoadedCausalLm model() {
    return lm;
  }

  /**
   * Returns the decoding settings.
   *
   * @return the settings
   */
  public SamplingParams decoding() {
    return decoding;
  }

  /**
   * Generates the completion of one prompt.
   *
   * @param prompt the user text
   * @return the generated text
   */
  @Override
  public String generate(String prompt) {
    return complete(List.of(prompt)).get(0).text();
  }

  /**
   * Generates the completions of several prompts in left-padded batches.
   *
   * @param prompts the user texts
   * @return one text per prompt, in order
   */
  @Override
  public List<String> generateAll(List<String> prompts) {
    return complete(prompts).stream().map(Completion::text).toList();
  }

  /**
   * Generates the completions of several prompts in left-padded batches, with their token ids and
   * how each ended.
   *
   * @param prompts the user texts
   * @return one completion per prompt, in order
   * @throws InvalidInputException naming the prompt when its templated ids exceed the model's
   *     {@code max_position_embeddings}
   * @throws BackendException when the engine fails
   */
  public List<Completion> complete(List<String> prompts) {
    CausalLmModel model = lm.model();
    TextGeneration loop =
        new TextGeneration(decoding, batchSize, model.config().vocabSize(),
            model.config().maxPositionEmbeddings(), lm::isEos, lm::decode);
    try {
      return loop.complete(prompts, lm.promptIds(prompts), lm.padId(), () -> new DjlBatch(model));
    } catch (ai.djl.engine.EngineException e) {
      throw new BackendException(
          "generating from " + lm.directory() + " failed: " + e.getMessage(), e);
    }
  }

  /** One batch's key/value cache in the DJL model. */
  private static final class DjlBatch implements TextGeneration.Batch {
    private final CausalLmModel model;
    private final NDManager manager;
    private final KvCache cache;

    DjlBatch(CausalLmModel model) {
      this.model = model;
      this.manager = model.manager().newSubManager();
      this.cache = model.newCache(manager);
    }

    @Override
    public float[] prefill(List<long[]> prompts, long padId) {
      try (NDManager step = manager.newSubManager()) {
        return model.lastLogits(step, prompts, padId, cache).toFloatArray();
      }
    }

    @Override
    public int cacheLength() {
      return cache.length();
    }

    @Override
    public int dropFront(int n) {
      // the model refuses sequences over max_position_embeddings, so the padding must go
      cache.dropFront(n);
      return n;
    }

    @Override
    public float[] step(long[] ids, long[] mask, long[] positions) {
      int a = ids.length;
      try (NDManager step = manager.newSubManager()) {
        NDArray emb = model.embed(step.create(ids, new Shape(a, 1)));
        return model.forward(emb, step.create(mask, new Shape(a, mask.length / a)),
            step.create(positions, new Shape(a, 1)), cache).toFloatArray();
      }
    }

    @Override
    public void keepRows(int[] rows) {
      cache.select(rows);
    }

    @Override
    public void close() {
      try {
        cache.close();
      } finally {
        manager.close();
      }
    }
  }

  /**
   * Describes the generator: the model checkpoint (with a digest of its weights, computed once)
   * and the decoding settings.
   *
   * @return the provenance
   */
  @Override
  public synchronized Provenance provenance() {
    if (provenance == null) {
      provenance = describe();
    }
    return provenance;
  }

  private Provenance describe() {
    return Provenance.of(this)
        .with("temperature", decoding.temperature())
        .with("topP", decoding.topP())
        .with("topK", decoding.topK())
        .with("maxNewTokens", decoding.maxNewTokens())
        .with("baseSeed", decoding.baseSeed())
        .with("stopSequences", decoding.stopSequences())
        .withCheckpoint("model", Checkpoint.of(lm.directory()));
  }

  /** Closes the model when this generator owns it. */
  @Override
  public void close() {
    if (ownsModel) {
      lm.close();
    }
  }
}
