package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rlaifv.BackendException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmInputs;
import org.rlaifv.djl.model.VlmModel;
import org.rlaifv.spi.BackendOptions;

/**
 * Samples candidate responses from a {@link LoadedVlm} with one shared prefill per prompt: the
 * image and prompt are encoded once, the key/value cache is copied n ways and the n continuations
 * are decoded as one batch (rows that finish leave the batch).
 *
 * <p>Sample {@code i} draws from its own random stream seeded with {@code params.seedFor(i)}, so
 * re-running a seed reproduces its text whatever else is in the batch. Decoding stops at the
 * model's EOS, at a stop sequence (the text is cut before it) or after {@code maxNewTokens}.
 *
 * <p>Closing the sampler closes the model when the sampler was opened on a model directory (by
 * {@link DjlBackendProvider}); a sampler built on a caller's {@link LoadedVlm} leaves it open. Not
 * thread-safe.
 *
 * <pre>{@code
 * try (DjlResponseSampler s = new DjlResponseSampler(vlm, BackendOptions.defaults(), false)) {
 *   List<Response> rs = s.sample(prompt, SamplingParams.builder().n(8).build());
 * }
 * }</pre>
 */
public final class DjlResponseSampler implements ResponseSampler {
  private final LoadedVlm vlm;
  private final int batchSize;
  private final boolean ownsModel;

  /**
   * Creates a sampler over an opened model.
   *
   * @param vlm the policy
   * @param options batch size (largest number of rows decoded together)
   * @param ownsModel whether {@link #close()} closes {@code vlm}
   */
  public DjlResponseSampler(LoadedVlm vlm, BackendOptions options, boolean ownsModel) {
    this.vlm = vlm;
    this.batchSize = options.batchSize();
    this.ownsModel = ownsModel;
  }

  /**
   * Returns the model sampled from.
   *
   * @return the model, owned as described in the class documentation
   */
  public LoadedVlm model() {
    return vlm;
  }

  /**
   * Samples {@code params.n()} responses from one shared prefill.
   *
   * @param prompt the prompt
   * @param params decoding parameters
   * @return the responses, in index order
   */
  @Override
  public List<Response> sample(Prompt prompt, SamplingParams params) {
    VlmModel model = vlm.model();
    Response[] out = new Response[params.n()];
    try (NDManager m = model.manager().newSubManager();
        KvCache prefix = model.newCache(m)) {
      float[] first = prefill(m, prompt, prefix);
      for (int start = 0; start < params.n(); start += batchSize) {
        int count = Math.min(batchSize, params.n() - start);
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
          indices[i] = start + i;
        }
        try (KvCache rows = prefix.copyBatch(count)) {
          decode(m, rows, first, prompt, params, indices, out);
        }
      }
    } catch (ai.djl.engine.EngineException e) {
      throw new BackendException("sampling prompt " + prompt.id() + " failed: " + e.getMessage(), e);
    }
    return List.of(out);
  }

  /**
   * Samples {@code params.n()} responses the naive way: a full prefill of image and prompt for
   * every sample, each decoded alone. Gives the same texts as {@link #sample}; it is the baseline
   * of the benchmark and the oracle of the tests.
   *
   * @param prompt the prompt
   * @param params decoding parameters
   * @return the responses, in index order
   */
  public List<Response> sampleWithoutSharing(Prompt prompt, SamplingParams params) {
    VlmModel model = vlm.model();
    Response[] out = new Response[params.n()];
    for (int i = 0; i < params.n(); i++) {
      try (NDManager m = model.manager().newSubManager();
          KvCache cache = model.newCache(m)) {
        float[] first = prefill(m, prompt, cache);
        decode(m, cache, first, prompt, params, new int[] {i}, out);
      }
    }
    return List.of(out);
  }

  /** Runs image + prompt through the model into the cache; returns the last position's logits. */
  private float[] prefill(NDManager m, Prompt prompt, KvCache cache) {
    VlmModel model = vlm.model();
    VlmInputs in = vlm.promptInputs(m, prompt.image(), prompt.text());
    NDArray hidden = model.hiddenStates(in.embeds(), in.attentionMask(), in.positionIds(), cache);
    long t = hidden.getShape().get(1);
    return model.logits(hidden.get(":, " + (t - 1) + ", :")).toFloatArray();
  }

  /**
   * Decodes rows that share first-step logits; rows map to sample indices. Finished rows leave the
   * cache batch.
   */
  private void decode(
      NDManager m, KvCache rows, float[] first, Prompt prompt, SamplingParams params, int[] indices,
      Response[] out) {
    VlmModel model = vlm.model();
    int vocab = model.config().vocabSize();
    int n = indices.length;
    SplittableRandom[] rng = new SplittableRandom[n];
    long[][] tokens = new long[n][params.maxNewTokens()];
    int[] count = new int[n];
    String[] text = new String[n];
    for (int r = 0; r < n; r++) {
      rng[r] = new SplittableRandom(params.seedFor(indices[r]));
    }
    long eos = vlm.tokenizer().eosId();
    int[] active = new int[n]; // active[j] = row r decoded at batch position j
    int activeCount = 0;
    long[] last = new long[n];
    for (int r = 0; r < n; r++) {
      long tok = Sampling.pick(first, 0, vocab, params, rng[r]);
      if (!accept(r, tok, eos, tokens, count, text, params)) {
        active[activeCount++] = r;
        last[r] = tok;
      }
    }
    if (activeCount < n) {
      rows.select(Arrays.copyOf(active, activeCount));
    }
    while (activeCount > 0) {
      float[] logits;
      try (NDManager step = m.newSubManager()) {
        long[] ids = new long[activeCount];
        for (int j = 0; j < activeCount; j++) {
          ids[j] = last[active[j]];
        }
        int past = rows.length();
        NDArray emb = model.embed(step.create(ids, new Shape(activeCount, 1)));
        NDArray mask = step.ones(new Shape(activeCount, past + 1), DataType.INT64);
        NDArray pos = step.full(new Shape(activeCount, 1), past, DataType.INT64);
        logits = model.forward(emb, mask, pos, rows).toFloatArray();
      }
      int[] keepPos = new int[activeCount];
      int kept = 0;
      int[] nextActive = new int[activeCount];
      for (int j = 0; j < activeCount; j++) {
        int r = active[j];
        long tok = Sampling.pick(logits, j * vocab, vocab, params, rng[r]);
        if (!accept(r, tok, eos, tokens, count, text, params)) {
          keepPos[kept] = j;
          nextActive[kept++] = r;
          last[r] = tok;
        }
      }
      if (kept > 0 && kept < activeCount) {
        rows.select(Arrays.copyOf(keepPos, kept));
      }
      active = nextActive;
      activeCount = kept;
    }
    for (int r = 0; r < n; r++) {
      String t = text[r] != null ? text[r] : vlm.tokenizer().decode(Arrays.copyOf(tokens[r], count[r]));
      int i = indices[r];
      out[i] = new Response(prompt.id(), i, t.strip(), params.seedFor(i), count[r]);
    }
  }

  /** Records a token; returns true when the row is finished (EOS, stop sequence, length). */
  private boolean accept(
      int r, long tok, long eos, long[][] tokens, int[] count, String[] text, SamplingParams params) {
    if (tok == eos) {
      return true;
    }
    tokens[r][count[r]++] = tok;
    if (!params.stopSequences().isEmpty()) {
      String t = vlm.tokenizer().decode(Arrays.copyOf(tokens[r], count[r]));
      for (String stop : params.stopSequences()) {
        int at = t.indexOf(stop);
        if (at >= 0) {
          text[r] = t.substring(0, at);
          return true;
        }
      }
    }
    return count[r] >= params.maxNewTokens();
  }

  /**
   * Samples every prompt, one shared prefill each.
   *
   * @param prompts the prompts
   * @param params decoding parameters
   * @return one list per prompt, in prompt order
   */
  @Override
  public List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
    List<List<Response>> out = new ArrayList<>(prompts.size());
    for (Prompt p : prompts) {
      out.add(sample(p, params));
    }
    return out;
  }

  /** Closes the model when this sampler owns it. */
  @Override
  public void close() {
    if (ownsModel) {
      vlm.close();
    }
  }
}
