package org.rlaifv.onnx;

import java.util.Arrays;

/**
 * One decoder run's result: logits for every new position and the extended cache.
 *
 * <p>Closing it closes the cache; take the cache with {@link #takeCache()} and close that instead
 * to keep it beyond the logits. Not thread-safe.
 *
 * <pre>{@code
 * try (DecoderOutput out = model.decode(embeds, 1, seq, mask, positions, past)) {
 *   float[] next = out.logits(0, seq - 1);
 *   cache = out.takeCache();
 * }
 * }</pre>
 */
public final class DecoderOutput implements AutoCloseable {
  private final float[] logits;
  private final int batch;
  private final int seq;
  private final int vocab;
  private final OrtKvCache cache;
  private boolean taken;

  DecoderOutput(float[] logits, int batch, int seq, int vocab, OrtKvCache cache) {
    this.logits = logits;
    this.batch = batch;
    this.seq = seq;
    this.vocab = vocab;
    this.cache = cache;
  }

  /**
   * Copies the logits of one position.
   *
   * @param row batch row
   * @param position index among the new positions
   * @return {@code vocabSize} logits
   */
  public float[] logits(int row, int position) {
    if (row < 0 || row >= batch || position < 0 || position >= seq) {
      throw new IndexOutOfBoundsException("row " + row + ", position " + position);
    }
    int from = (row * seq + position) * vocab;
    return Arrays.copyOfRange(logits, from, from + vocab);
  }

  /**
   * Returns the extended cache, still owned (and closed) by this output.
   *
   * @return the cache
   */
  public OrtKvCache cache() {
    return cache;
  }

  /**
   * Hands the cache over to the caller, who then closes it; closing this output no longer does.
   *
   * @return the cache
   */
  public OrtKvCache takeCache() {
    taken = true;
    return cache;
  }

  /** Closes the cache unless it was taken. */
  @Override
  public void close() {
    if (!taken) {
      cache.close();
    }
  }
}
