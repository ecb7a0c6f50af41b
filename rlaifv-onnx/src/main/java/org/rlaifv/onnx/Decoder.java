package org.rlaifv.onnx;

/**
 * The decoder graph an {@link OrtModel} runs, chosen when the model is opened: {@link
 * OptimumDecoder} ({@value OrtModel#DECODER}), whose rows each carry their whole cache, or {@link
 * SharedPrefixDecoder} ({@value OrtModel#SHARED_PREFIX_DECODER}), whose rows read one prefix in
 * place and carry only their own positions after it. Rows continue from a prefix the same way
 * with either:
 *
 * <pre>{@code
 * try (OrtKvCache rows = decoder.rowsAfter(prefix, n)) {
 *   int past = decoder.pastLength(prefix, rows);  // the mask is n x (past + seq)
 *   try (DecoderOutput out = decoder.decode(embeds, n, seq, mask, positions, prefix, rows)) {
 *     // out.takeCache() is the rows' cache for the next step, with the same prefix
 *   }
 * }
 * }</pre>
 *
 * <p>A start from nothing passes one empty cache of {@code batch} rows as both prefix and rows; the
 * output's cache is then a prefix for later rows. Owns its session; runs may be issued from
 * several threads, each with its own caches.
 */
sealed interface Decoder extends AutoCloseable permits OptimumDecoder, SharedPrefixDecoder {
  /**
   * Returns the cache that {@code rows} rows start from to continue {@code prefix} (one row):
   * copies of the prefix, or an empty cache when the prefix is read in place.
   *
   * @param prefix the prefix's cache (not closed here, and kept open while the rows decode)
   * @param rows the number of rows
   * @return the rows' cache, owned by the caller
   */
  OrtKvCache rowsAfter(OrtKvCache prefix, int rows);

  /**
   * Returns the positions every row attends to before its new ones.
   *
   * @param prefix the prefix's cache
   * @param rows the rows' cache, from {@link #rowsAfter} or an earlier {@link #decode}
   * @return the past length the attention mask starts with
   */
  int pastLength(OrtKvCache prefix, OrtKvCache rows);

  /**
   * Runs the decoder over new positions of {@code batch} rows continuing from a prefix.
   *
   * @param embeds {@code batch x seq x hiddenSize} input embeddings
   * @param batch rows
   * @param seq new positions per row
   * @param attentionMask {@code batch x (pastLength + seq)} ones for real tokens, zeros for
   *     padding
   * @param positionIds {@code batch x seq} rotary positions
   * @param prefix the prefix's cache (not closed here)
   * @param rows the rows' cache, from {@link #rowsAfter} or an earlier run (not closed here)
   * @return the logits and the rows' next cache, owned by the caller
   */
  DecoderOutput decode(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache prefix,
      OrtKvCache rows);

  /** Closes the session. */
  @Override
  void close();
}
