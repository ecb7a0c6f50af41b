package org.rlaifv.core.internal;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of token rows padded on the right, with the attention mask and rotary positions both
 * backends feed their decoders: row {@code i} holds {@code lengths[i]} real tokens after {@code
 * past} cached positions; its mask is ones over the cache and those tokens; padded positions
 * repeat the last real position.
 *
 * @param tokens {@code rows x width} token ids, padding included ({@code null} when built from
 *     lengths only)
 * @param mask {@code rows x (past + width)} ones for cached and real positions, zeros for padding
 * @param positions {@code rows x width} rotary positions
 * @param lengths real tokens per row
 * @param width padded row length
 */
public record RightPadded(long[] tokens, long[] mask, long[] positions, int[] lengths, int width) {
  /**
   * Pads the tails of token sequences that continue from a cache of {@code past} positions.
   *
   * @param sequences the full sequences
   * @param skip leading tokens of each sequence already in the cache (not part of the rows)
   * @param past cached positions before every row
   * @param padId the padding token
   * @return the batch
   */
  public static RightPadded continuing(List<long[]> sequences, int skip, int past, long padId) {
    int[] lengths = new int[sequences.size()];
    int width = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = sequences.get(i).length - skip;
      width = Math.max(width, lengths[i]);
    }
    long[] tokens = new long[lengths.length * width];
    Arrays.fill(tokens, padId);
    for (int i = 0; i < lengths.length; i++) {
      System.arraycopy(sequences.get(i), skip, tokens, i * width, lengths[i]);
    }
    return of(tokens, lengths, width, past);
  }

  /**
   * Mask and positions for rows of given lengths padded to {@code width}, with no cache before.
   *
   * @param lengths real tokens per row, at most {@code width}
   * @param width padded row length
   * @return the batch, without tokens
   */
  public static RightPadded lengths(int[] lengths, int width) {
    return of(null, lengths, width, 0);
  }

  private static RightPadded of(long[] tokens, int[] lengths, int width, int past) {
    int rows = lengths.length;
    long[] mask = new long[rows * (past + width)];
    long[] positions = new long[rows * width];
    for (int i = 0; i < rows; i++) {
      Arrays.fill(mask, i * (past + width), i * (past + width) + past + lengths[i], 1L);
      for (int j = 0; j < width; j++) {
        positions[i * width + j] = past + Math.min(j, Math.max(lengths[i] - 1, 0));
      }
    }
    return new RightPadded(tokens, mask, positions, lengths, width);
  }

  /**
   * Returns the number of rows.
   *
   * @return the rows
   */
  public int rows() {
    return lengths.length;
  }
}
