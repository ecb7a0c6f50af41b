package org.rlaifv.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;

/**
 * Samples candidate responses with ONNX Runtime from an exported policy, as the DJL sampler does
 * on the same weights.
 *
 * <p>Per prompt: the image and the templated prompt are prefilled once; the first token of every
 * sample is drawn from that prefill's last logits; the key/value cache is copied {@code n} ways
 * and the {@code n} samples decode as one batch. Sample {@code i} draws from its own RNG seeded
 * with {@link SamplingParams#seedFor(int) seedFor(i)}, so its text depends only on its seed. A
 * sample ends at EOS, at a stop sequence (cut from the text) or after {@code maxNewTokens}.
 *
 * <pre>{@code
 * try (ResponseSampler s = OrtResponseSampler.open(Checkpoint.of(policyOnnxDir), BackendOptions.defaults())) {
 *   List<Response> rs = s.sample(prompt, SamplingParams.builder().n(8).build());
 * }
 * }</pre>
 *
 * <p>Owns the model sessions; the creator closes the sampler. Concurrent calls are safe.
 */
public final class OrtResponseSampler implements ResponseSampler {
  private final OrtVlm vlm;

  private OrtResponseSampler(OrtVlm vlm) {
    this.vlm = vlm;
  }

  /**
   * Opens a sampler over an exported policy directory.
   *
   * @param policy the exported model (graphs, config.json, tokenizer.json, prompt_format.json)
   * @param options device, threads and {@code onnx.*} properties
   * @return the sampler, closed by the caller
   * @throws org.rlaifv.ModelFormatException naming the file when the directory is incomplete
   */
  public static OrtResponseSampler open(Checkpoint policy, BackendOptions options) {
    return new OrtResponseSampler(OrtVlm.open(policy.directory(), options));
  }

  @Override
  public List<Response> sample(Prompt prompt, SamplingParams params) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(params, "params");
    int n = params.n();
    long[] promptIds = vlm.promptIds(prompt.text());
    OrtVlm.Inputs in = vlm.imageInputs(vlm.imageFeatures(prompt.image()), List.of(promptIds));
    TokenPicker[] pickers = new TokenPicker[n];
    List<List<Long>> tokens = new ArrayList<>(n);
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      pickers[i] = new TokenPicker(params, params.seedFor(i));
      tokens.add(new ArrayList<>());
    }
    int len = in.seq;
    OrtKvCache cache;
    float[][] last = new float[n][];
    try (OrtKvCache empty = vlm.model.emptyCache(1);
        OrtModel.DecoderOutput pre =
            vlm.model.decode(in.embeds, 1, len, in.mask, in.positions, empty)) {
      float[] l = pre.logits(0, len - 1);
      for (int i = 0; i < n; i++) {
        last[i] = l;
      }
      cache = pre.cache().repeatRows(vlm.model.env(), n);
    }
    try {
      for (int step = 0; ; step++) {
        long[] next = new long[n];
        boolean anyLeft = false;
        for (int i = 0; i < n; i++) {
          if (done[i]) {
            next[i] = vlm.tokenizer.padId;
            continue;
          }
          long t = pickers[i].pick(last[i]);
          next[i] = t;
          if (t == vlm.tokenizer.eosId) {
            done[i] = true;
            continue;
          }
          tokens.get(i).add(t);
          if (tokens.get(i).size() >= params.maxNewTokens() || hitsStop(tokens.get(i), params)) {
            done[i] = true;
          } else {
            anyLeft = true;
          }
        }
        if (!anyLeft) {
          break;
        }
        int total = len + step + 1;
        long[] mask = new long[n * total];
        long[] pos = new long[n];
        java.util.Arrays.fill(mask, 1L);
        for (int i = 0; i < n; i++) {
          pos[i] = total - 1;
        }
        float[] embeds = vlm.model.embed(next, n, 1);
        try (OrtModel.DecoderOutput o = vlm.model.decode(embeds, n, 1, mask, pos, cache)) {
          for (int i = 0; i < n; i++) {
            last[i] = o.logits(i, 0);
          }
          cache.close();
          cache = o.takeCache();
        }
      }
    } finally {
      cache.close();
    }
    List<Response> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Long> ts = tokens.get(i);
      String text = cut(vlm.tokenizer.decode(ts.stream().mapToLong(Long::longValue).toArray()), params);
      out.add(new Response(prompt.id(), i, text, params.seedFor(i), ts.size()));
    }
    return out;
  }

  private boolean hitsStop(List<Long> ts, SamplingParams params) {
    if (params.stopSequences().isEmpty()) {
      return false;
    }
    String text = vlm.tokenizer.decode(ts.stream().mapToLong(Long::longValue).toArray());
    return params.stopSequences().stream().anyMatch(text::contains);
  }

  private static String cut(String text, SamplingParams params) {
    int end = text.length();
    for (String s : params.stopSequences()) {
      int i = text.indexOf(s);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return text.substring(0, end).strip();
  }

  /** Closes the model sessions and the tokenizer. */
  @Override
  public void close() {
    vlm.close();
  }
}
