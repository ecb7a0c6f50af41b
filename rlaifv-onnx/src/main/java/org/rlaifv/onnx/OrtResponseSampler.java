package org.rlaifv.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.internal.StopSequences;
import org.rlaifv.core.internal.TokenPicker;
import org.rlaifv.spi.BackendOptions;

/**
 * Samples candidate responses with ONNX Runtime from an exported policy, behaving as the DJL
 * sampler does on the same weights (same token sequences for the same seeds).
 *
 * <p>Per prompt: the image and the templated prompt are prefilled once; batches of at most {@link
 * BackendOptions#batchSize()} rows decode together from it, and rows that finish leave the batch.
 * With the export's shared-prefix decoder ({@value OrtModel#SHARED_PREFIX_DECODER}) every row
 * reads the one prefill in place and keeps a cache of its own tokens only; without it (an export
 * with only the Optimum files) the prefill's cache is copied to every row. Sample {@code i} draws
 * from its own {@link SplittableRandom} seeded with {@link SamplingParams#seedFor(int)
 * seedFor(i)}, so its text depends only on its seed and the model. A sample ends at EOS, at a stop
 * sequence (the text is cut before it) or after {@code maxNewTokens}.
 *
 * <pre>{@code
 * try (ResponseSampler s = OrtResponseSampler.open(Checkpoint.of(policyOnnxDir), BackendOptions.defaults())) {
 *   List<Response> rs = s.sample(prompt, SamplingParams.builder().n(8).build());
 * }
 * }</pre>
 *
 * <p>Owns the model sessions; the creator closes the sampler. Concurrent calls are safe (each
 * call uses its own caches).
 */
public final class OrtResponseSampler implements ResponseSampler {
  private final OrtVlm vlm;
  private final int batchSize;

  private OrtResponseSampler(OrtVlm vlm, BackendOptions options) {
    this.vlm = vlm;
    this.batchSize = options.batchSize();
  }

  /**
   * Opens a sampler over an exported policy directory.
   *
   * @param policy the exported model (graphs, config.json, tokenizer.json, prompt_format.json)
   * @param options device, threads, batch size and {@code onnx.*} properties
   * @return the sampler, closed by the caller
   * @throws org.rlaifv.ModelFormatException naming the file when the directory is incomplete
   */
  public static OrtResponseSampler open(Checkpoint policy, BackendOptions options) {
    return new OrtResponseSampler(OrtVlm.open(policy.directory(), options, true), options);
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
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(params, "params");
    long[] promptIds = vlm.promptIds(prompt.text());
    OrtVlm.Inputs in = vlm.imageInputs(vlm.imageFeatures(prompt.image()), List.of(promptIds));
    Response[] out = new Response[params.n()];
    try (DecoderOutput pre = vlm.model.prefill(in.embeds, 1, in.seq, in.mask, in.positions)) {
      float[] first = pre.logits(0, in.seq - 1);
      for (int start = 0; start < params.n(); start += batchSize) {
        int count = Math.min(batchSize, params.n() - start);
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
          indices[i] = start + i;
        }
        // The samples read the one prefill in place and keep only their own tokens' cache
        // (shared-prefix decoder), or each start from a copy of it.
        decode(pre.cache(), vlm.model.decoder().rowsAfter(pre.cache(), count), first, prompt,
            params, indices, out);
      }
    }
    return List.of(out);
  }

  /**
   * Decodes rows sharing first-step logits, taking ownership of {@code rows}: the rows' cache as
   * the model's decoder made it to continue {@code prefix} (not closed here).
   */
  private void decode(
      OrtKvCache prefix,
      OrtKvCache rows,
      float[] first,
      Prompt prompt,
      SamplingParams params,
      int[] indices,
      Response[] out) {
    int n = indices.length;
    SplittableRandom[] rng = new SplittableRandom[n];
    long[][] tokens = new long[n][params.maxNewTokens()];
    int[] count = new int[n];
    String[] text = new String[n];
    StopSequences.Tracker[] stops = new StopSequences.Tracker[n];
    for (int r = 0; r < n; r++) {
      rng[r] = new SplittableRandom(params.seedFor(indices[r]));
    }
    int[] active = new int[n];
    int activeCount = 0;
    long[] last = new long[n];
    OrtKvCache cache = rows;
    try {
      Decoder decoder = vlm.model.decoder();
      for (int r = 0; r < n; r++) {
        long tok = TokenPicker.pick(first, params, rng[r]);
        if (!accept(r, tok, tokens, count, text, stops, params)) {
          active[activeCount++] = r;
          last[r] = tok;
        }
      }
      if (activeCount > 0 && activeCount < n) {
        cache = replace(cache, cache.selectRows(vlm.model.env(), Arrays.copyOf(active, activeCount)));
      }
      while (activeCount > 0) {
        long[] ids = new long[activeCount];
        for (int j = 0; j < activeCount; j++) {
          ids[j] = last[active[j]];
        }
        int past = decoder.pastLength(prefix, cache);
        long[] mask = new long[activeCount * (past + 1)];
        Arrays.fill(mask, 1L);
        long[] pos = new long[activeCount];
        Arrays.fill(pos, past);
        int[] keepPos = new int[activeCount];
        int kept = 0;
        int[] nextActive = new int[activeCount];
        float[] embeds = vlm.model.embed(ids, activeCount, 1);
        try (DecoderOutput o = decoder.decode(embeds, activeCount, 1, mask, pos, prefix, cache)) {
          for (int j = 0; j < activeCount; j++) {
            int r = active[j];
            long tok = TokenPicker.pick(o.logits(j, 0), params, rng[r]);
            if (!accept(r, tok, tokens, count, text, stops, params)) {
              keepPos[kept] = j;
              nextActive[kept++] = r;
              last[r] = tok;
            }
          }
          cache = replace(cache, o.takeCache());
        }
        if (kept > 0 && kept < activeCount) {
          cache = replace(cache, cache.selectRows(vlm.model.env(), Arrays.copyOf(keepPos, kept)));
        }
        active = nextActive;
        activeCount = kept;
      }
    } finally {
      cache.close();
    }
    for (int r = 0; r < n; r++) {
      String t = text[r] != null ? text[r] : vlm.tokenizer.decode(Arrays.copyOf(tokens[r], count[r]));
      int i = indices[r];
      out[i] = new Response(prompt.id(), i, t.strip(), params.seedFor(i), count[r]);
    }
  }

  private static OrtKvCache replace(OrtKvCache old, OrtKvCache fresh) {
    old.close();
    return fresh;
  }

  /** Records a token; returns true when the row is finished (EOS, stop sequence, length). */
  private boolean accept(
      int r, long tok, long[][] tokens, int[] count, String[] text, StopSequences.Tracker[] stops,
      SamplingParams params) {
    if (vlm.tokenizer.isEos(tok)) {
      return true;
    }
    tokens[r][count[r]++] = tok;
    if (!params.stopSequences().isEmpty()) {
      if (stops[r] == null) {
        stops[r] = StopSequences.of(params.stopSequences(), vlm.tokenizer::decode).newTracker();
      }
      Optional<String> cut = stops[r].accept(tokens[r], count[r]);
      if (cut.isPresent()) {
        text[r] = cut.get();
        return true;
      }
    }
    return count[r] >= params.maxNewTokens();
  }

  /** Closes the model sessions and the tokenizer. */
  @Override
  public void close() {
    vlm.close();
  }
}
