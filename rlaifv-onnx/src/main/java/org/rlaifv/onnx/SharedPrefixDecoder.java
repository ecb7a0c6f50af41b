package org.rlaifv.onnx;

import ai.onnxruntime.OrtEnvironment;

/**
 * The shared-prefix decoder ({@value OrtModel#SHARED_PREFIX_DECODER}): the Optimum decoder's
 * inputs, where the past is a prefix of one row (or of {@code batch} rows) that every row
 * continues from, read by broadcasting instead of copied, plus each row's own {@code
 * suffix_key_values.N.key/value}; outputs {@code logits} and {@code present_suffix.N.key/value}
 * (the suffix followed by the new positions). Rows continuing from a prefix start from an empty
 * suffix.
 *
 * <p>Owns its session; runs may be issued from several threads, each with its own caches.
 */
final class SharedPrefixDecoder implements Decoder {
  private final DecoderGraph graph;

  /**
   * Wraps a loaded graph and checks it against the config.
   *
   * @throws org.rlaifv.ModelFormatException naming the file and the input that disagrees
   */
  SharedPrefixDecoder(
      OrtGraph graph, OrtConfig config, OrtEnvironment env, DirectBuffers buffers) {
    this.graph =
        new DecoderGraph(graph, config, env, buffers, "present_suffix.", "suffix_key_values.");
    this.graph.validate();
  }

  /** An empty suffix per row: the rows read the prefix in place. */
  @Override
  public OrtKvCache rowsAfter(OrtKvCache prefix, int rows) {
    return graph.emptyCache(rows);
  }

  /** The prefix and the rows' own positions after it. */
  @Override
  public int pastLength(OrtKvCache prefix, OrtKvCache rows) {
    return prefix.length() + rows.length();
  }

  /**
   * Runs every row from the prefix (1 or {@code batch} rows) and then from its own suffix
   * ({@code batch} rows); the output's cache is the suffix extended by the new positions.
   *
   * @see OrtModel#decodeSharedPrefix
   */
  @Override
  public DecoderOutput decode(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache prefix,
      OrtKvCache rows) {
    return graph.run(
        embeds,
        batch,
        seq,
        attentionMask,
        positionIds,
        prefix,
        rows,
        (prefix.batch() == 1 || prefix.batch() == batch) && rows.batch() == batch);
  }

  @Override
  public void close() {
    graph.close();
  }
}
