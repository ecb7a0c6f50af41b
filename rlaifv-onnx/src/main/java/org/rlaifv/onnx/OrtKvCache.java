package org.rlaifv.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.rlaifv.BackendException;

/**
 * The decoder's key/value cache: {@code present.N.key/value} tensors of shape {@code [batch,
 * kvHeads, length, headDim]}, fed back as {@code past_key_values.N.key/value}.
 *
 * <p>Owns its native tensors (or the ONNX Runtime result that holds them) and frees them in {@link
 * #close()}; the code that received the cache closes it. Not thread-safe.
 */
public final class OrtKvCache implements AutoCloseable {
  private final OnnxTensor[] tensors;
  private final AutoCloseable owner;
  private final DirectBuffers pool;
  private final ByteBuffer[] buffers;
  private final int batch;
  private final int length;
  private final int kvHeads;
  private final int headDim;
  private boolean closed;

  OrtKvCache(
      OnnxTensor[] tensors,
      AutoCloseable owner,
      DirectBuffers pool,
      int batch,
      int length,
      int kvHeads,
      int headDim) {
    this(tensors, owner, pool, null, batch, length, kvHeads, headDim);
  }

  private OrtKvCache(
      OnnxTensor[] tensors,
      AutoCloseable owner,
      DirectBuffers pool,
      ByteBuffer[] buffers,
      int batch,
      int length,
      int kvHeads,
      int headDim) {
    this.tensors = tensors;
    this.owner = owner;
    this.pool = pool;
    this.buffers = buffers;
    this.batch = batch;
    this.length = length;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
  }

  /** Creates an empty cache (length 0) of {@code batch} rows for a model's layers and heads. */
  static OrtKvCache empty(OrtEnvironment env, DirectBuffers pool, OrtConfig config, int batch) {
    int kvHeads = config.kvHeads();
    int headDim = config.headDim();
    OnnxTensor[] t = new OnnxTensor[2 * config.layers()];
    try {
      for (int i = 0; i < t.length; i++) {
        t[i] =
            OnnxTensor.createTensor(
                env, FloatBuffer.allocate(0), new long[] {batch, kvHeads, 0, headDim});
      }
    } catch (OrtException e) {
      closeAll(t);
      throw new BackendException("cannot allocate an empty key/value cache: " + e.getMessage(), e);
    }
    return new OrtKvCache(t, null, pool, batch, 0, kvHeads, headDim);
  }

  /**
   * Returns the number of sequences (rows).
   *
   * @return the batch size
   */
  public int batch() {
    return batch;
  }

  /**
   * Returns the number of cached positions.
   *
   * @return the cached length
   */
  public int length() {
    return length;
  }

  int layers() {
    return tensors.length / 2;
  }

  OnnxTensor key(int layer) {
    check();
    return tensors[2 * layer];
  }

  OnnxTensor value(int layer) {
    check();
    return tensors[2 * layer + 1];
  }

  /**
   * Returns a new cache in which every row is repeated {@code times} times in a row ({@code [r0,
   * r0, ..., r1, r1, ...]}): one prefill shared by several continuations. This cache stays open.
   *
   * @param env the environment that creates the copies
   * @param times copies per row, at least 1
   * @return the new cache, owned by the caller
   */
  public OrtKvCache repeatRows(OrtEnvironment env, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("copies must be at least 1, got " + times);
    }
    int[] rows = new int[batch * times];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i / times;
    }
    return selectRows(env, rows);
  }

  /**
   * Returns a new cache holding some rows of this one, in the given order (rows may repeat). This
   * cache stays open.
   *
   * @param env the environment that creates the copies
   * @param rows row indices into this cache
   * @return the new cache, owned by the caller
   */
  public OrtKvCache selectRows(OrtEnvironment env, int[] rows) {
    check();
    for (int r : rows) {
      if (r < 0 || r >= batch) {
        throw new IndexOutOfBoundsException("row " + r + " of a cache with " + batch + " rows");
      }
    }
    int rowSize = kvHeads * length * headDim;
    OnnxTensor[] out = new OnnxTensor[tensors.length];
    ByteBuffer[] blocks = new ByteBuffer[tensors.length];
    try {
      for (int i = 0; i < tensors.length; i++) {
        FloatBuffer src = tensors[i].getFloatBuffer();
        blocks[i] = pool.take(4 * rowSize * rows.length);
        FloatBuffer dst = blocks[i].asFloatBuffer();
        for (int r : rows) {
          dst.put(src.duplicate().position(r * rowSize).limit((r + 1) * rowSize));
        }
        dst.rewind();
        out[i] =
            OnnxTensor.createTensor(env, dst, new long[] {rows.length, kvHeads, length, headDim});
      }
    } catch (OrtException | RuntimeException e) {
      closeAll(out);
      giveBack(blocks);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new BackendException("cannot copy the key/value cache: " + e.getMessage(), e);
    }
    return new OrtKvCache(out, null, pool, blocks, rows.length, length, kvHeads, headDim);
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException("key/value cache is closed");
    }
  }

  private void giveBack(ByteBuffer[] blocks) {
    for (ByteBuffer b : blocks) {
      if (b != null) {
        pool.give(b);
      }
    }
  }

  private static void closeAll(OnnxTensor[] t) {
    for (OnnxTensor x : t) {
      if (x != null) {
        x.close();
      }
    }
  }

  /** Frees the native tensors; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owner != null) {
      try {
        owner.close();
      } catch (Exception e) {
        throw new BackendException("cannot free the key/value cache: " + e.getMessage(), e);
      }
    } else {
      closeAll(tensors);
      if (buffers != null) {
        giveBack(buffers);
      }
    }
  }
}
