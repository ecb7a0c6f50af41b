package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.djl.export.OnnxAttribute;
import org.rlaifv.djl.export.OnnxConstant;
import org.rlaifv.djl.export.OnnxGraph;
import org.rlaifv.djl.export.OnnxGraph.ElemType;

/** The hand-encoded protobuf writer produces models that ONNX Runtime loads and runs correctly. */
class OnnxGraphTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private static float[] run(OnnxGraph g, Map<String, OnnxTensor> feeds, String output)
      throws OrtException {
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = ENV.createSession(g.toModelBytes("test"), so);
        OrtSession.Result r = s.run(feeds)) {
      OnnxTensor t = (OnnxTensor) r.get(output).orElseThrow();
      FloatBuffer fb = t.getFloatBuffer();
      float[] out = new float[fb.remaining()];
      fb.get(out);
      return out;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  @Test
  void matMulAddMatchesHandComputedValues() throws OrtException {
    OnnxGraph g = new OnnxGraph("affine");
    g.input("x", ElemType.FLOAT, "batch", 3);
    String w = g.initializer(OnnxConstant.ofFloats("w", new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
    String b = g.initializer(OnnxConstant.ofFloats("b", new float[] {0.5f, -1}, 2));
    String xw = g.op("MatMul", "x", w);
    g.node("Add", List.of(xw, b), List.of("y"));
    g.output("y", ElemType.FLOAT, "batch", 2);
    float[] x = {1, 0, -1, 2, 1, 0};
    var feeds =
        Map.of("x", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {2, 3}));
    // row 0: [1,0,-1] . w = [1-5, 2-6] = [-4,-4]; row 1: [2,1,0] . w = [2+3, 4+4] = [5, 8]
    assertArrayEquals(new float[] {-3.5f, -5, 5.5f, 7}, run(g, feeds, "y"), 1e-6f);
  }

  @Test
  void gatherPicksEmbeddingRows() throws OrtException {
    OnnxGraph g = new OnnxGraph("embed");
    g.input("ids", ElemType.INT64, "batch", "seq");
    String table =
        g.initializer(OnnxConstant.ofFloats("table", new float[] {0, 0, 1, 1, 2, 2, 3, 3}, 4, 2));
    g.node("Gather", List.of(table, "ids"), List.of("emb"), OnnxAttribute.ofInt("axis", 0));
    g.output("emb", ElemType.FLOAT, "batch", "seq", 2);
    var feeds =
        Map.of(
            "ids",
            OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {3, 1, 2}), new long[] {1, 3}));
    assertArrayEquals(new float[] {3, 3, 1, 1, 2, 2}, run(g, feeds, "emb"), 0f);
  }

  @Test
  void softmaxAndReduceMeanWithAttributes() throws OrtException {
    OnnxGraph g = new OnnxGraph("softmax");
    g.input("x", ElemType.FLOAT, 2, 3);
    String sm = g.op("Softmax", List.of("x"), OnnxAttribute.ofInt("axis", -1));
    String mean =
        g.op(
            "ReduceMean",
            List.of(sm),
            OnnxAttribute.ofInts("axes", 1),
            OnnxAttribute.ofInt("keepdims", 1));
    String scaled = g.op("Mul", sm, g.scalar(3f));
    g.node("Add", List.of(scaled, mean), List.of("y"));
    g.output("y", ElemType.FLOAT, 2, 3);
    float[] x = {0, 1, 2, 5, 5, 5};
    var feeds = Map.of("x", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {2, 3}));
    float[] y = run(g, feeds, "y");
    double z = 1 + Math.E + Math.exp(2);
    float third = 1f / 3;
    float[] expected = {
      (float) (3 / z) + third,
      (float) (3 * Math.E / z) + third,
      (float) (3 * Math.exp(2) / z) + third,
      1 + third,
      1 + third,
      1 + third
    };
    assertArrayEquals(expected, y, 1e-6f);
    assertEquals(6, y.length);
  }
}
