package org.rlaifv.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.Provenance;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.hf.CausalLmTexts;
import org.rlaifv.core.internal.TextGeneration;
import org.rlaifv.core.text.Completion;
import org.rlaifv.spi.BackendOptions;

/**
 * A {@link TextGenerator} on ONNX Runtime over the export of a Hugging Face causal LM ({@code
 * LlamaForCausalLM}, {@code MistralForCausalLM}, {@code Qwen2ForCausalLM}, exported by {@code
 * OnnxExporter}), behaving as the DJL generator does on the same weights: the same chat template,
 * end-of-sequence and padding ids and decode clean-up (core's {@link CausalLmTexts}) and the same
 * decoding loop (core's {@link TextGeneration}: left-padded, longest-first batches of up to {@link
 * BackendOptions#batchSize()} prompts, greedy at temperature 0 else seeded sampling, stop strings,
 * the token and position limits), so a prompt's text is the same on both backends and alone or
 * in a batch.
 *
 * <pre>{@code
 * try (TextGenerator llm = OrtTextGenerator.open(Checkpoint.of(lmOnnxDir),
 *     BackendOptions.defaults(), TextGenerator.greedy(256))) {
 *   List<String> texts = llm.generateAll(prompts);
 * }
 * }</pre>
 *
 * <p>Owns its sessions and tokenizer; the creator closes it. Concurrent calls are safe (each batch
 * has its own cache).
 */
public final class OrtTextGenerator implements TextGenerator {
  private final OrtModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final CausalLmTexts texts;
  private final SamplingParams decoding;
  private final int batchSize;
  private Provenance provenance;

  private OrtTextGenerator(OrtModel model, HuggingFaceTokenizer tokenizer, CausalLmTexts texts,
      SamplingParams decoding, int batchSize) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.texts = texts;
    this.decoding = decoding;
    this.batchSize = batchSize;
  }

  /**
   * Opens a generator over an exported causal LM directory (graphs, config.json, tokenizer.json,
   * tokenizer_config.json or chat template, generation_config.json).
   *
   * @param model the export directory
   * @param options device, threads, batch size and {@code onnx.*} properties
   * @param decoding temperature (0 = greedy), top-k, top-p, token limit, base seed and stop
   *     strings; {@code n} must be 1
   * @return the generator, closed by the caller
   * @throws InvalidInputException when {@code decoding.n()} is not 1
   * @throws ModelFormatException naming the file when the directory is incomplete, or when it is
   *     the export of a vision-language model
   */
  public static OrtTextGenerator open(
      Checkpoint model, BackendOptions options, SamplingParams decoding) {
    if (decoding.n() != 1) {
      throw new InvalidInputException(
          "a text generator makes one completion per prompt: decoding n must be 1, got "
              + decoding.n());
    }
    OrtModel m = OrtModel.open(model.directory(), options, false);
    HuggingFaceTokenizer tok = null;
    try {
      if (m.hasVision()) {
        throw new ModelFormatException("the ONNX model in " + model.directory()
            + " is a vision-language model; a text generator runs a text-only causal LM export");
      }
      tok = OrtTokenizer.openTokenizer(model.directory());
      HuggingFaceTokenizer t = tok;
      CausalLmTexts texts =
          CausalLmTexts.open(model.directory(), s -> tokenIdOrNone(t, s), m.vocabSize());
      return new OrtTextGenerator(m, tok, texts, decoding, options.batchSize());
    } catch (RuntimeException e) {
      if (tok != null) {
        tok.close();
      }
      m.close();
      throw e;
    }
  }

  private static long tokenIdOrNone(HuggingFaceTokenizer tok, String token) {
    long[] ids = OrtTokenizer.ids(tok, token, false);
    return ids.length == 1 ? ids[0] : -1;
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
   * Generates the completions of several prompts, with their token ids and how each ended.
   *
   * @param prompts the user texts
   * @return one completion per prompt, in order
   * @throws InvalidInputException naming the prompt when its templated ids exceed the model's
   *     {@code max_position_embeddings}
   */
  public List<Completion> complete(List<String> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    List<long[]> ids = prompts.stream().map(p -> OrtTokenizer.ids(tokenizer, texts.render(p), false))
        .toList();
    TextGeneration loop = new TextGeneration(decoding, batchSize, model.vocabSize(),
        model.maxPositions(), texts::isEos, this::decode);
    return loop.complete(prompts, ids, texts.padId(), OrtBatch::new);
  }

  private String decode(long[] ids) {
    return texts.cleanUp(tokenizer.decode(ids, true));
  }

  /** One batch's key/value cache in the Optimum decoder. */
  private final class OrtBatch implements TextGeneration.Batch {
    private OrtKvCache cache;

    @Override
    public float[] prefill(List<long[]> prompts, long padId) {
      int b = prompts.size();
      int width = 0;
      for (long[] p : prompts) {
        width = Math.max(width, p.length);
      }
      long[] tokens = new long[b * width];
      long[] mask = new long[b * width];
      for (int i = 0; i < b; i++) {
        long[] row = prompts.get(i);
        int pad = width - row.length;
        java.util.Arrays.fill(tokens, i * width, i * width + pad, padId);
        System.arraycopy(row, 0, tokens, i * width + pad, row.length);
        java.util.Arrays.fill(mask, i * width + pad, (i + 1) * width, 1L);
      }
      long[] positions = TextGeneration.positionsFromMask(mask, b, width);
      try (OrtKvCache empty = model.emptyCache(b);
          DecoderOutput o =
              model.decode(model.embed(tokens, b, width), b, width, mask, positions, empty)) {
        cache = o.takeCache();
        return rows(o, b, width - 1);
      }
    }

    @Override
    public int cacheLength() {
      return cache.length();
    }

    @Override
    public int dropFront(int n) {
      // no hard limit in the graph: masked padding columns change nothing
      return 0;
    }

    @Override
    public float[] step(long[] ids, long[] mask, long[] positions) {
      int a = ids.length;
      try (DecoderOutput o = model.decode(model.embed(ids, a, 1), a, 1, mask, positions, cache)) {
        OrtKvCache next = o.takeCache();
        cache.close();
        cache = next;
        return rows(o, a, 0);
      }
    }

    @Override
    public void keepRows(int[] rows) {
      OrtKvCache kept = cache.selectRows(model.env(), rows);
      cache.close();
      cache = kept;
    }

    @Override
    public void close() {
      if (cache != null) {
        cache.close();
      }
    }

    private float[] rows(DecoderOutput o, int rows, int position) {
      int v = model.vocabSize();
      float[] out = new float[rows * v];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(o.logits(r, position), 0, out, r * v, v);
      }
      return out;
    }
  }

  /**
   * Describes the generator: the exported model (with a digest of its files, computed once) and
   * the decoding settings.
   *
   * @return the provenance
   */
  @Override
  public synchronized Provenance provenance() {
    if (provenance == null) {
      provenance = Provenance.of(this)
          .with("temperature", decoding.temperature())
          .with("topP", decoding.topP())
          .with("topK", decoding.topK())
          .with("maxNewTokens", decoding.maxNewTokens())
          .with("baseSeed", decoding.baseSeed())
          .with("stopSequences", decoding.stopSequences())
          .withCheckpoint("model", Checkpoint.of(model.directory()));
    }
    return provenance;
  }

  /** Closes the sessions and the tokenizer. */
  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      model.close();
    }
  }
}
