package org.rlaifv.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongPredicate;
import org.rlaifv.InvalidInputException;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;
import org.rlaifv.core.text.Completion;
import org.rlaifv.core.text.Completion.Finish;

/**
 * The decoding loop of every backend's text generator, over a backend's {@link Batch}: prompts
 * run as left-padded batches of up to {@code batchSize} rows, longest first; padding is masked and
 * skipped by the rotary positions, one prefill fills a key/value cache, and every row then decodes
 * one token per step until it finishes and leaves the batch. A prompt's completion is therefore the
 * same alone or in a batch, and the same on every backend whose model computes the same logits.
 *
 * <p>Row {@code i} picks tokens with {@link TokenPicker} (greedy at temperature 0) from a {@link
 * SplittableRandom} seeded with {@code Seeds.mix(decoding.seedFor(0), prompt)}. A completion ends
 * at an end-of-sequence id (not part of the text), at a stop string (the text is cut before it,
 * found by {@link StopSequences}), after {@code decoding.maxNewTokens()} tokens, or when the
 * model's position limit is reached.
 *
 * <p>Immutable; {@link #complete} may run concurrently when the batches it opens are independent.
 */
public final class TextGeneration {
  /**
   * One batch's model state: its key/value cache and the steps that extend it. Opened per batch
   * by {@link #complete} and closed when the batch is done.
   */
  public interface Batch extends AutoCloseable {
    /**
     * Runs the left-padded prompts from nothing (padding before each, masked, positions counted
     * from each row's first real token) and fills the cache.
     *
     * @param prompts the rows' ids
     * @param padId the id written into padding
     * @return the next-token logits of every row, {@code rows x vocab}, row-major
     */
    float[] prefill(List<long[]> prompts, long padId);

    /**
     * Returns the positions the cache holds per row (padding included).
     *
     * @return the cache length
     */
    int cacheLength();

    /**
     * Drops up to {@code n} leading cache positions of every row, all of them padding, so that a
     * model with a hard position limit can go on; a model whose masking makes them harmless may
     * keep them.
     *
     * @param n positions that may be dropped
     * @return the positions dropped (0 to {@code n})
     */
    int dropFront(int n);

    /**
     * Runs one new token per row after the cache and appends it to the cache.
     *
     * @param ids each row's token
     * @param mask {@code rows x (cacheLength + 1)}, 1 for real positions
     * @param positions each row's rotary position
     * @return the next-token logits, {@code rows x vocab}, row-major
     */
    float[] step(long[] ids, long[] mask, long[] positions);

    /**
     * Keeps only some rows of the cache, in the given order.
     *
     * @param rows the row indices to keep
     */
    void keepRows(int[] rows);

    /** Frees the batch's cache. */
    @Override
    void close();
  }

  private final SamplingParams decoding;
  private final int batchSize;
  private final int vocab;
  private final int maxPositions;
  private final LongPredicate isEos;
  private final Function<long[], String> decode;

  /**
   * Creates the loop for one model.
   *
   * @param decoding temperature, top-k, top-p, token limit, base seed and stop strings
   * @param batchSize largest number of prompts decoded together
   * @param vocab the vocabulary size (the width of a logits row)
   * @param maxPositions the model's position limit
   * @param isEos whether an id ends a completion
   * @param decode the text of generated ids (special tokens skipped, cleaned up)
   */
  public TextGeneration(SamplingParams decoding, int batchSize, int vocab, int maxPositions,
      LongPredicate isEos, Function<long[], String> decode) {
    this.decoding = decoding;
    this.batchSize = batchSize;
    this.vocab = vocab;
    this.maxPositions = maxPositions;
    this.isEos = isEos;
    this.decode = decode;
  }

  /**
   * Generates one completion per prompt.
   *
   * @param prompts the user texts (seeding each row)
   * @param ids each prompt's templated ids
   * @param padId the id written into padding
   * @param open opens an empty batch
   * @return one completion per prompt, in order
   * @throws InvalidInputException naming the prompt when its ids exceed the position limit
   */
  public List<Completion> complete(
      List<String> prompts, List<long[]> ids, long padId, java.util.function.Supplier<Batch> open) {
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
    Arrays.sort(order,
        Comparator.comparingInt((Integer i) -> -ids.get(i).length).thenComparing(i -> i));
    Completion[] out = new Completion[ids.size()];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      List<Row> rows = new ArrayList<>(end - start);
      for (int k = start; k < end; k++) {
        int i = order[k];
        rows.add(new Row(i, ids.get(i),
            new SplittableRandom(Seeds.mix(decoding.seedFor(0), prompts.get(i))),
            Math.min(decoding.maxNewTokens(), maxPositions - ids.get(i).length + 1)));
      }
      try (Batch batch = open.get()) {
        run(batch, rows, padId);
      }
      for (Row r : rows) {
        long[] toks = Arrays.copyOf(r.tokens, r.count);
        String text = r.text != null ? r.text : decode.apply(toks);
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
    StopSequences.Tracker stops;

    Row(int index, long[] prompt, SplittableRandom rng, int limit) {
      this.index = index;
      this.prompt = prompt;
      this.rng = rng;
      this.tokens = new long[Math.max(1, limit)];
      this.position = prompt.length;
    }
  }

  /** Prefills the rows as one left-padded batch, then decodes until every row has finished. */
  private void run(Batch batch, List<Row> rows, long padId) {
    int width = 0;
    for (Row r : rows) {
      width = Math.max(width, r.prompt.length);
    }
    List<long[]> prompts = new ArrayList<>(rows.size());
    for (Row r : rows) {
      prompts.add(r.prompt);
      r.pad = width - r.prompt.length;
    }
    List<Row> active = advance(batch, rows, batch.prefill(prompts, padId));
    while (!active.isEmpty()) {
      int a = active.size();
      int past = batch.cacheLength();
      if (past + 1 > maxPositions) {
        // every row still decoding has room before its position limit, so it has padding here
        int drop = Integer.MAX_VALUE;
        for (Row r : active) {
          drop = Math.min(drop, r.pad);
        }
        int dropped = batch.dropFront(Math.min(drop, past + 1 - maxPositions));
        for (Row r : active) {
          r.pad -= dropped;
        }
        past = batch.cacheLength();
      }
      long[] ids = new long[a];
      long[] pos = new long[a];
      long[] mask = new long[a * (past + 1)];
      for (int j = 0; j < a; j++) {
        Row r = active.get(j);
        ids[j] = r.last;
        pos[j] = r.position++;
        Arrays.fill(mask, j * (past + 1) + r.pad, (j + 1) * (past + 1), 1L);
      }
      active = advance(batch, active, batch.step(ids, mask, pos));
    }
  }

  /**
   * Picks each row's next token from its logits row; returns the rows still decoding and keeps
   * only their cache rows.
   */
  private List<Row> advance(Batch batch, List<Row> rows, float[] logits) {
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
      batch.keepRows(Arrays.copyOf(keep, kept));
    }
    return next;
  }

  /** Records a token; returns true when the row is finished. */
  private boolean accept(Row r, long tok) {
    if (isEos.test(tok)) {
      r.finish = Finish.EOS;
      return true;
    }
    r.tokens[r.count++] = tok;
    r.last = tok;
    if (!decoding.stopSequences().isEmpty()) {
      if (r.stops == null) {
        r.stops = StopSequences.of(decoding.stopSequences(), decode).newTracker();
      }
      Optional<String> cut = r.stops.accept(r.tokens, r.count);
      if (cut.isPresent()) {
        r.text = cut.get();
        r.finish = Finish.STOP_STRING;
        return true;
      }
    }
    if (r.count >= r.tokens.length) {
      r.finish = Finish.LENGTH;
      return true;
    }
    return false;
  }

  /**
   * Rotary positions of a left-padded batch as the prefill uses them: each position counts the
   * real positions before it (padding gets 0).
   *
   * @param mask {@code rows x width}, 1 for real positions
   * @param rows the rows
   * @param width the positions per row
   * @return {@code rows x width} positions
   */
  public static long[] positionsFromMask(long[] mask, int rows, int width) {
    long[] pos = new long[mask.length];
    for (int i = 0; i < rows; i++) {
      long seen = 0;
      for (int t = 0; t < width; t++) {
        seen += mask[i * width + t];
        pos[i * width + t] = Math.max(0, seen - 1);
      }
    }
    return pos;
  }
}
