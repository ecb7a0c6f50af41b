package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Provenance;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.internal.TokenPicker;
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
 * samples with {@link TokenPicker} (temperature, top-k, top-p) from a {@link SplittableRandom}
 * seeded with {@code Seeds.mix(decoding.seedFor(0), prompt)}, so a prompt's text depends on the
 * prompt and the base seed only. A completion ends at any end-of-sequence id of the model (not
 * part of the text), at a stop string (the text is cut before it) or after {@code
 * decoding.maxNewTokens()} tokens, or when the model's {@code max_position_embeddings} is
 * reached.
 *
 * <p>{@link #generateAll} runs prompts as left-padded batches of up to {@link
 * BackendOptions#batchSize()} rows, longest first: padding is masked and skipped by the rotary
 * positions, one prefill fills a key/value cache, and every row then decodes one token per step
 * until it finishes and leaves the batch. A prompt's completion is the same alone or in a batch.
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

  /** Why a completion ended. */
  public enum Finish {
    /** The model wrote an end-of-sequence id. */
    EOS,
    /** A stop string appeared; the text is cut before it. */
    STOP_STRING,
    /** The token limit or the model's position limit was reached. */
    LENGTH
  }

  /**
   * One completion.
   *
   * @param text the generated text (special tokens skipped, cut before a stop string)
   * @param tokenIds the generated ids, without the end-of-sequence id
   * @param finish why it ended
   */
  public record Completion(String text, long[] tokenIds, Finish finish) {
    /** Copies the ids. */
    public Completion {
      tokenIds = tokenIds.clone();
    }

    /**
     * Returns the generated ids.
     *
     * @return a copy
     */
    @Override
    public long[] tokenIds() {
      return tokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Completion c && c.text.equals(text) && Arrays.equals(c.tokenIds, tokenIds)
          && c.finish == finish;
    }

    @Override
    public int hashCode() {
      return text.hashCode() * 31 + Arrays.hashCode(tokenIds) * 7 + finish.hashCode();
    }

    @Override
    public String toString() {
      return "Completion[text=" + text + ", tokenIds=" + Arrays.toString(tokenIds) + ", finish="
          + finish + "]";
    }
  }

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
    List<long[]> ids = lm.promptIds(prompts);
    int maxPositions = lm.model().config().maxPositionEmbeddings();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).length > maxPositions) {
        throw new InvalidInputException("prompt " + i + " has " + ids.get(i).length
            + " tokens after the chat template, more than max_position_embeddings " + maxPositions);
      }
    }
    Integer[] order = new Integer[ids.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // longest first, so rows of similar length share a batch and padding stays small
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> -ids.get(i).length).thenComparing(i -> i));
    Completion[] out = new Completion[ids.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<Row> rows = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        int i = order[k];
        rows.add(new Row(i, ids.get(i), new SplittableRandom(Seeds.mix(decoding.seedFor(0), prompts.get(i))),
            Math.min(decoding.maxNewTokens(), maxPositions - ids.get(i).length + 1)));
      }
      try {
        run(rows);
      } catch (ai.djl.engine.EngineException e) {
        throw new BackendException(
            "generating from " + lm.directory() + " failed: " + e.getMessage(), e);
      }
      for (Row r : rows) {
        long[] toks = Arrays.copyOf(r.tokens, r.count);
        String text = r.text != null ? r.text : lm.decode(toks);
        out[r.index] = new Completion(text, toks, r.finish);
      }
    }
    return List.of(out);
  }

  /** Decoding state of one prompt. */
  private static final class Row {
    final int index;
    final long[] prompt;
    final SplittableRandom rng;
    final long[] tokens;
    int count;
    int pad;
    long position;
    long last;
    String text;
    Finish finish;

    Row(int index, long[] prompt, SplittableRandom rng, int limit) {
      this.index = index;
      this.prompt = prompt;
      this.rng = rng;
      this.tokens = new long[Math.max(1, limit)];
      this.position = prompt.length;
    }
  }

  /** Prefills the rows as one left-padded batch, then decodes until every row has finished. */
  private void run(List<Row> rows) {
    CausalLmModel model = lm.model();
    int vocab = model.config().vocabSize();
    int maxPositions = model.config().maxPositionEmbeddings();
    try (NDManager m = model.manager().newSubManager();
        KvCache cache = model.newCache(m)) {
      int width = 0;
      for (Row r : rows) {
        width = Math.max(width, r.prompt.length);
      }
      List<long[]> prompts = new ArrayList<>(rows.size());
      for (Row r : rows) {
        prompts.add(r.prompt);
        r.pad = width - r.prompt.length;
      }
      float[] logits;
      try (NDManager step = m.newSubManager()) {
        logits = model.lastLogits(step, prompts, lm.padId(), cache).toFloatArray();
      }
      List<Row> active = advance(rows, logits, vocab, cache);
      while (!active.isEmpty()) {
        int a = active.size();
        int past = cache.length();
        if (past + 1 > maxPositions) {
          // every row still decoding has room before its position limit, so it has padding here
          int drop = Integer.MAX_VALUE;
          for (Row r : active) {
            drop = Math.min(drop, r.pad);
          }
          drop = Math.min(drop, past + 1 - maxPositions);
          cache.dropFront(drop);
          for (Row r : active) {
            r.pad -= drop;
          }
          past = cache.length();
        }
        try (NDManager step = m.newSubManager()) {
          long[] ids = new long[a];
          long[] pos = new long[a];
          long[] mask = new long[a * (past + 1)];
          for (int j = 0; j < a; j++) {
            Row r = active.get(j);
            ids[j] = r.last;
            pos[j] = r.position++;
            Arrays.fill(mask, j * (past + 1) + r.pad, (j + 1) * (past + 1), 1L);
          }
          NDArray emb = model.embed(step.create(ids, new Shape(a, 1)));
          logits =
              model.forward(emb, step.create(mask, new Shape(a, past + 1)),
                  step.create(pos, new Shape(a, 1)), cache).toFloatArray();
        }
        active = advance(active, logits, vocab, cache);
      }
    }
  }

  /**
   * Picks each row's next token from its logits row; returns the rows still decoding and keeps
   * only their cache rows.
   */
  private List<Row> advance(List<Row> rows, float[] logits, int vocab, KvCache cache) {
    List<Row> next = new ArrayList<>(rows.size());
    int[] keep = new int[rows.size()];
    int kept = 0;
    for (int j = 0; j < rows.size(); j++) {
      Row r = rows.get(j);
      long tok = TokenPicker.pick(logits, j * vocab, vocab, decoding, r.rng);
      if (!accept(r, tok)) {
        next.add(r);
        keep[kept++] = j;
      }
    }
    if (kept > 0 && kept < rows.size()) {
      cache.select(Arrays.copyOf(keep, kept));
    }
    return next;
  }

  /** Records a token; returns true when the row is finished. */
  private boolean accept(Row r, long tok) {
    if (lm.isEos(tok)) {
      r.finish = Finish.EOS;
      return true;
    }
    r.tokens[r.count++] = tok;
    r.last = tok;
    if (!decoding.stopSequences().isEmpty()) {
      String t = lm.decode(Arrays.copyOf(r.tokens, r.count));
      for (String stop : decoding.stopSequences()) {
        int at = t.indexOf(stop);
        if (at >= 0) {
          r.text = t.substring(0, at);
          r.finish = Finish.STOP_STRING;
          return true;
        }
      }
    }
    if (r.count >= r.tokens.length) {
      r.finish = Finish.LENGTH;
      return true;
    }
    return false;
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
