package org.rlaifv.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The input tensors of one run, staged in pooled direct buffers that ONNX Runtime reads in place.
 * Close the tensors first, then this object, which returns the buffers to the pool.
 *
 * <pre>{@code
 * try (StagedInputs in = new StagedInputs(env, pool);
 *     OnnxTensor ids = in.longs(tokenIds, batch, seq);
 *     OrtSession.Result r = graph.run(Map.of("input_ids", ids))) {
 *   float[] out = StagedInputs.toFloats(r.get(0));
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one per run.
 */
final class StagedInputs implements AutoCloseable {
  private final OrtEnvironment env;
  private final DirectBuffers pool;
  private final List<ByteBuffer> taken = new ArrayList<>(4);

  StagedInputs(OrtEnvironment env, DirectBuffers pool) {
    this.env = env;
    this.pool = pool;
  }

  /** Stages float values as a tensor of the given shape. */
  OnnxTensor floats(float[] values, long... shape) throws OrtException {
    ByteBuffer b = pool.take(4 * values.length);
    taken.add(b);
    FloatBuffer f = b.asFloatBuffer();
    f.put(values).rewind();
    return OnnxTensor.createTensor(env, f, shape);
  }

  /** Stages long values as a tensor of the given shape. */
  OnnxTensor longs(long[] values, long... shape) throws OrtException {
    ByteBuffer b = pool.take(8 * values.length);
    taken.add(b);
    LongBuffer l = b.asLongBuffer();
    l.put(values).rewind();
    return OnnxTensor.createTensor(env, l, shape);
  }

  /** Copies a float tensor output into an array. */
  static float[] toFloats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }

  /** Returns the buffers to the pool. */
  @Override
  public void close() {
    taken.forEach(pool::give);
  }
}
