package org.rlaifv.onnx;

import ai.onnxruntime.OrtEnvironment;

/**
 * The Optimum decoder ({@value OrtModel#DECODER}): {@code past_key_values.N.key/value} in, {@code
 * present.N.key/value} (the past followed by the new positions) out. Rows continuing from a shared
 * prefix each get a copy of it ({@link OrtKvCache#repeatRows}).
 *
 * <p>Owns its session; runs may be issued from several threads, each with its own caches.
 */
final class OptimumDecoder implements Decoder {
  private final DecoderGraph graph;

  /**
   * Wraps a loaded graph and checks it against the config.
   *
   * @throws org.rlaifv.ModelFormatException naming the file and the input that disagrees
   */
  OptimumDecoder(OrtGraph graph, OrtConfig config, OrtEnvironment env, DirectBuffers buffers) {
    this.graph = new DecoderGraph(graph, config, env, buffers, "present.", null);
    this.graph.validate();
  }

  /**
   * Runs the decoder over new positions, continuing from a cache of {@code batch} rows.
   *
   * @param past the cache to continue from (not closed here; length 0 for a fresh start)
   * @return the logits and the past extended by the new positions, owned by the caller
   * @see OrtModel#decode
   */
  DecoderOutput decode(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache past) {
    return graph.run(
        embeds, batch, seq, attentionMask, positionIds, past, null, past.batch() == batch);
  }

  /** Copies the prefix to every row. */
  @Override
  public OrtKvCache rowsAfter(OrtKvCache prefix, int rows) {
    return prefix.repeatRows(graph.env(), rows);
  }

  /** The rows' own length: their cache holds the prefix. */
  @Override
  public int pastLength(OrtKvCache prefix, OrtKvCache rows) {
    return rows.length();
  }

  /** Continues from the rows' cache alone, which holds the prefix. */
  @Override
  public DecoderOutput decode(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache prefix,
      OrtKvCache rows) {
    return decode(embeds, batch, seq, attentionMask, positionIds, rows);
  }

  @Override
  public void close() {
    graph.close();
  }
}
