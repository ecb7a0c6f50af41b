package org.rlaifv.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A bounded pool of direct buffers for the input tensors of each run and for key/value cache
 * copies (one shared prefix copied to many questions or samples). Both happen on every call;
 * allocating fresh native memory each time costs more than the copy itself (the JVM zeroes it,
 * and large allocations can make the JVM collect garbage first). Buffers come back when the run
 * ends or the cache that holds them is closed.
 *
 * <p>Buffers are tracked by identity (a {@link ByteBuffer}'s {@code equals} compares contents,
 * which would let two equal buffers stand for each other). Thread-safe. At most {@link
 * #maxPooledBytes()} bytes are kept; a buffer returned beyond that is left to the garbage
 * collector.
 */
final class DirectBuffers {
  /** The default bound on pooled bytes (256 MiB). */
  static final long DEFAULT_MAX_POOLED_BYTES = 256L << 20;

  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final long maxPooledBytes;
  private long pooled;

  DirectBuffers(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
  }

  long maxPooledBytes() {
    return maxPooledBytes;
  }

  /** Bytes held by the pool now. */
  synchronized long pooledBytes() {
    return pooled;
  }

  /**
   * Returns a native-order direct buffer with position 0 and limit {@code bytes}: a pooled one
   * whose capacity is between {@code bytes} and twice that, else a new one.
   */
  ByteBuffer take(int bytes) {
    synchronized (this) {
      for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) {
        ByteBuffer b = it.next();
        if (b.capacity() >= bytes && b.capacity() <= 2L * bytes) {
          it.remove();
          pooled -= b.capacity();
          b.clear().limit(bytes);
          return b.order(ByteOrder.nativeOrder());
        }
      }
    }
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  /** Takes a buffer back once nothing reads it any more. */
  synchronized void give(ByteBuffer b) {
    if (pooled + b.capacity() > maxPooledBytes) {
      return;
    }
    for (ByteBuffer held : free) {
      if (held == b) {
        throw new IllegalStateException("a buffer was returned to the pool twice");
      }
    }
    pooled += b.capacity();
    free.push(b);
  }
}
