package org.rlaifv.djl.export;

import java.util.List;
import org.rlaifv.djl.export.OnnxGraph.ElemType;

/** Writes the token embedding graph: {@code input_ids [B,S]} in, {@code inputs_embeds [B,S,H]} out. */
final class EmbedGraph {
  private EmbedGraph() {}

  static OnnxGraph build(String weightName, int vocab, int hidden, WeightSource w) {
    OnnxGraph g = new OnnxGraph("embed_tokens");
    g.input("input_ids", ElemType.INT64, "batch_size", "sequence_length");
    String table =
        g.initializer(
            OnnxConstant.lazyFloats(weightName, w.lazy(weightName, vocab, hidden), vocab, hidden));
    g.node("Gather", List.of(table, "input_ids"), List.of("inputs_embeds"), OnnxAttribute.ofInt("axis", 0));
    g.output("inputs_embeds", ElemType.FLOAT, "batch_size", "sequence_length", hidden);
    return g;
  }
}
