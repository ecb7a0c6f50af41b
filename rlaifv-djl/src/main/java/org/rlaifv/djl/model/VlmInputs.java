package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.rlaifv.core.internal.RightPadded;

/**
 * Decoder inputs for a batch: embeddings, attention mask and rotary positions, with each row's
 * real length. Arrays belong to the manager they were built in.
 *
 * @param embeds {@code [B, T, hidden]}
 * @param attentionMask {@code [B, T]} int64, 1 real, 0 padding
 * @param positionIds {@code [B, T]} int64
 * @param lengths real positions per row (padding at the right)
 */
public record VlmInputs(NDArray embeds, NDArray attentionMask, NDArray positionIds, int[] lengths) {

  /**
   * Copies the lengths.
   */
  public VlmInputs {
    lengths = lengths.clone();
  }

  /**
   * Returns a copy of the per-row lengths.
   *
   * @return real positions per row
   */
  @Override
  public int[] lengths() {
    return lengths.clone();
  }

  /**
   * Builds mask and positions for right-padded embeddings (positions count from 0 on every row).
   *
   * @param manager owner of the mask and positions
   * @param embeds {@code [B, T, hidden]}
   * @param lengths real length of each row, at most T
   * @return the inputs
   */
  public static VlmInputs rightPadded(NDManager manager, NDArray embeds, int[] lengths) {
    int b = lengths.length;
    int t = (int) embeds.getShape().get(1);
    RightPadded padded = RightPadded.lengths(lengths, t);
    return new VlmInputs(
        embeds,
        manager.create(padded.mask(), new Shape(b, t)),
        manager.create(padded.positions(), new Shape(b, t)),
        lengths);
  }
}
