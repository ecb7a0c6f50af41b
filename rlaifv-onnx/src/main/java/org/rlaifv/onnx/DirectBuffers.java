package org.rlaifv.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded pool of direct buffers for the input tensors of each run and for key/value cache
 * copies (one shared prefix copied to many questions or samples). Both happen on every call;
 * allocating fresh native memory each time costs more than the copy itself (the JVM zeroes it,
 * and large allocations can make the JVM collect garbage first). Buffers come back when the run
 * ends or the cache that holds them is closed.
 *
 * <p>Thread-safe. At most {@link #maxPooledBytes()} bytes are kept; a buffer returned beyond that
 * is left to the garbage collector.
 */
final class DirectBuffers {
  /** The default bound on pooled bytes (256 MiB). */
  static final long DEFAULT_MAX_POOLED_BYTES = 256L << 20;

  private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();
  private final AtomicLong pooled = new AtomicLong();
  private final long maxPooledBytes;

  DirectBuffers(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
  }

  long maxPooledBytes() {
    return maxPooledBytes;
  }

  /** Bytes held by the pool now. */
  long pooledBytes() {
    return pooled.get();
  }

  /**
   * Returns a native-order direct buffer with position 0 and limit {@code bytes}: a pooled one
   * whose capacity is between {@code bytes} and twice that, else a new one.
   */
  ByteBuffer take(int bytes) {
    for (Iterator<ByteBuffer> it = free.iterator(); it.hasNext(); ) {
      ByteBuffer b = it.next();
      if (b.capacity() >= bytes && b.capacity() <= 2L * bytes && free.removeFirstOccurrence(b)) {
        pooled.addAndGet(-b.capacity());
        b.clear().limit(bytes);
        return b.order(ByteOrder.nativeOrder());
      }
    }
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  /** Takes a buffer back once nothing reads it any more. */
  void give(ByteBuffer b) {
    if (pooled.addAndGet(b.capacity()) > maxPooledBytes) {
      pooled.addAndGet(-b.capacity());
      return;
    }
    free.push(b);
  }
}
