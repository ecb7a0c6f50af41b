package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rlaifv.BackendException;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.internal.StopSequences;
import org.rlaifv.core.internal.TokenPicker;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmInputs;
import org.rlaifv.djl.model.VlmModel;
import org.rlaifv.spi.BackendOptions;

/**
 * Samples candidate responses from a {@link LoadedVlm} with one shared prefill per prompt: the
 * image and prompt are encoded once, the key/value cache is copied n ways and the n continuations
 * are decoded as one batch (rows that finish leave the batch; the prefix is read in place
 * until then, see {@link KvCache#sharing}). {@link #sampleAll} also prefills
 * several prompts together and decodes all their samples as one batch of at most {@link
 * BackendOptions#batchSize()} rows.
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
    return sampleAll(List.of(prompt), params).get(0);
  }

  /**
   * Samples every prompt: prompts are prefilled together (right-padded, so padding sits between
   * a prompt and its continuation and is masked), each prompt's cache rows are copied n ways, and
   * all rows decode as one batch of at most {@link BackendOptions#batchSize()} rows.
   *
   * @param prompts the prompts
   * @param params decoding parameters
   * @return one list per prompt, in prompt order
   */
  @Override
  public List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
    List<List<Response>> out = new ArrayList<>(prompts.size());
    int perGroup = Math.max(1, batchSize / params.n());
    for (int g = 0; g < prompts.size(); g += perGroup) {
      List<Prompt> group = prompts.subList(g, Math.min(prompts.size(), g + perGroup));
      Response[][] res = new Response[group.size()][params.n()];
      try {
        sampleGroup(group, params, res);
      } catch (ai.djl.engine.EngineException e) {
        throw new BackendException(
            "sampling prompt " + group.get(0).id() + " failed: " + e.getMessage(), e);
      }
      for (Response[] r : res) {
        out.add(List.of(r));
      }
    }
    return out;
  }

  private void sampleGroup(List<Prompt> group, SamplingParams params, Response[][] out) {
    VlmModel model = vlm.model();
    int g = group.size();
    try (NDManager m = model.manager().newSubManager();
        KvCache prefix = model.newCache(m)) {
      List<long[]> ids = new ArrayList<>(g);
      List<Image> images = new ArrayList<>(g);
      int limit = model.config().maxPositionEmbeddings();
      for (Prompt p : group) {
        long[] pid = vlm.promptIds(p.text());
        if (vlm.expandedLength(pid) >= limit) {
          throw new InvalidInputException(
              "prompt " + p.id() + " takes " + vlm.expandedLength(pid) + " positions with its image"
                  + " but the model " + vlm.directory().map(Object::toString).orElse("in memory")
                  + " has max_position_embeddings " + limit + ", leaving no room for a response");
        }
        ids.add(pid);
        images.add(p.image());
      }
      NDArray feats = model.imageFeatures(vlm.pixels(m, images));
      VlmInputs in = vlm.imageInputs(m, feats, ids);
      int[] lengths = in.lengths();
      float[] first = lastLogits(model, in, prefix, lengths);
      long[] mask = in.attentionMask().toLongArray();
      int width = (int) in.attentionMask().getShape().get(1);
      for (int start = 0; start < params.n(); start += batchSize) {
        int count = Math.min(batchSize, params.n() - start);
        int rowsN = g * count;
        Row[] rows = new Row[rowsN];
        for (int p = 0; p < g; p++) {
          long[] pm = java.util.Arrays.copyOfRange(mask, p * width, (p + 1) * width);
          for (int k = 0; k < count; k++) {
            rows[p * count + k] = new Row(p, start + k, pm, lengths[p], params);
          }
        }
        try (KvCache cache = KvCache.sharing(prefix, count)) {
          decode(m, cache, first, rows, params);
        }
        for (Row r : rows) {
          String text = r.text != null ? r.text : vlm.tokenizer().decode(java.util.Arrays.copyOf(r.tokens, r.count));
          out[r.prompt][r.index] =
              new Response(group.get(r.prompt).id(), r.index, text.strip(), params.seedFor(r.index), r.count);
        }
      }
    }
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
        VlmInputs in = vlm.promptInputs(m, prompt.image(), prompt.text());
        int[] lengths = in.lengths();
        float[] first = lastLogits(model, in, cache, lengths);
        Row row = new Row(0, i, in.attentionMask().toLongArray(), lengths[0], params);
        decode(m, cache, first, new Row[] {row}, params);
        String text = row.text != null ? row.text : vlm.tokenizer().decode(java.util.Arrays.copyOf(row.tokens, row.count));
        out[i] = new Response(prompt.id(), i, text.strip(), params.seedFor(i), row.count);
      }
    }
    return List.of(out);
  }

  /** Prefills into the cache; returns each row's logits at its last real position, [rows * V]. */
  private static float[] lastLogits(VlmModel model, VlmInputs in, KvCache cache, int[] lengths) {
    NDArray hidden = model.hiddenStates(in.embeds(), in.attentionMask(), in.positionIds(), cache);
    NDList last = new NDList(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      last.add(hidden.get(i, lengths[i] - 1));
    }
    return model.logits(NDArrays.stack(last, 0)).toFloatArray();
  }

  /** Decoding state of one sample. */
  private static final class Row {
    final int prompt;
    final int index;
    final long[] prefixMask;
    final SplittableRandom rng;
    final long[] tokens;
    int count;
    long position;
    long last;
    String text;
    StopSequences.Tracker stops;

    Row(int prompt, int index, long[] prefixMask, int length, SamplingParams params) {
      this.prompt = prompt;
      this.index = index;
      this.prefixMask = prefixMask;
      this.rng = new SplittableRandom(params.seedFor(index));
      this.tokens = new long[params.maxNewTokens()];
      this.position = length;
    }
  }

  /**
   * Decodes rows from their prompts' first-step logits; finished rows leave the cache batch.
   * Cache row j belongs to rows[j] at the start.
   */
  private void decode(NDManager m, KvCache cache, float[] first, Row[] rows, SamplingParams params) {
    VlmModel model = vlm.model();
    int vocab = model.config().vocabSize();
    List<Row> active = new ArrayList<>(rows.length);
    int[] keep = new int[rows.length];
    int kept = 0;
    for (int j = 0; j < rows.length; j++) {
      Row r = rows[j];
      long tok = TokenPicker.pick(first, r.prompt * vocab, vocab, params, r.rng);
      if (!accept(r, tok, params)) {
        active.add(r);
        keep[kept++] = j;
      }
    }
    if (kept < rows.length && kept > 0) {
      cache.select(java.util.Arrays.copyOf(keep, kept));
    }
    while (!active.isEmpty()) {
      if (cache.length() + 1 > model.config().maxPositionEmbeddings()) {
        // the model's context is full: the remaining rows end here, as generate() stops at
        // max_length
        break;
      }
      int a = active.size();
      float[] logits;
      try (NDManager step = m.newSubManager()) {
        int past = cache.length();
        long[] ids = new long[a];
        long[] pos = new long[a];
        long[] mask = new long[a * (past + 1)];
        for (int j = 0; j < a; j++) {
          Row r = active.get(j);
          ids[j] = r.last;
          pos[j] = r.position;
          int w = r.prefixMask.length;
          System.arraycopy(r.prefixMask, 0, mask, j * (past + 1), w);
          java.util.Arrays.fill(mask, j * (past + 1) + w, (j + 1) * (past + 1), 1L);
        }
        NDArray emb = model.embed(step.create(ids, new Shape(a, 1)));
        logits =
            model.forward(emb, step.create(mask, new Shape(a, past + 1)), step.create(pos, new Shape(a, 1)), cache)
                .toFloatArray();
      }
      List<Row> next = new ArrayList<>(a);
      kept = 0;
      for (int j = 0; j < a; j++) {
        Row r = active.get(j);
        r.position++;
        long tok = TokenPicker.pick(logits, j * vocab, vocab, params, r.rng);
        if (!accept(r, tok, params)) {
          next.add(r);
          keep[kept++] = j;
        }
      }
      if (kept > 0 && kept < a) {
        cache.select(java.util.Arrays.copyOf(keep, kept));
      }
      active = next;
    }
  }

  /** Records a token; returns true when the row is finished (EOS, stop sequence, length). */
  private boolean accept(Row r, long tok, SamplingParams params) {
    if (vlm.tokenizer().isEos(tok)) {
      return true;
    }
    r.tokens[r.count++] = tok;
    r.last = tok;
    if (!params.stopSequences().isEmpty()) {
      if (r.stops == null) {
        r.stops = StopSequences.of(params.stopSequences(), vlm.tokenizer()::decode).newTracker();
      }
      java.util.Optional<String> cut = r.stops.accept(r.tokens, r.count);
      if (cut.isPresent()) {
        r.text = cut.get();
        return true;
      }
    }
    return r.count >= params.maxNewTokens();
  }

  /** Closes the model when this sampler owns it. */
  @Override
  public void close() {
    if (ownsModel) {
      vlm.close();
    }
  }
}
