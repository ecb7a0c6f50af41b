package org.rlaifv.djl.model;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Per-layer key/value cache of a {@link VlmModel} decoder, each entry shaped {@code [batch,
 * num_key_value_heads, length, head_dim]}.
 *
 * <p>{@link VlmModel#forward} appends to it in place. The cache owns its arrays in its own
 * sub-manager; whoever created the cache closes it. Copies ({@link #copyBatch(int)}) are new caches
 * owned by the caller. Not thread-safe.
 *
 * <pre>{@code
 * try (KvCache prefix = model.newCache()) {
 *   model.forward(prefixEmbeds, mask, positions, prefix); // prefill once
 *   try (KvCache rows = prefix.copyBatch(8)) { ... }      // decode 8 continuations
 * }
 * }</pre>
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private KvCache shared;
  private int repeats = 1;

  /**
   * Creates an empty cache.
   *
   * @param parent manager under which the cache opens its own sub-manager
   * @param numLayers number of decoder layers
   */
  public KvCache(NDManager parent, int numLayers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[numLayers];
    this.values = new NDArray[numLayers];
  }

  /**
   * Returns the number of cached positions.
   *
   * @return the past length, 0 when empty
   */
  public int length() {
    return (shared == null ? 0 : shared.length()) + ownLength();
  }

  private int ownLength() {
    return keys[0] == null ? 0 : (int) keys[0].getShape().get(2);
  }

  /**
   * Returns the number of rows (sequences) cached.
   *
   * @return the batch size, 0 when empty
   */
  public int batchSize() {
    if (keys[0] != null) {
      return (int) keys[0].getShape().get(0);
    }
    return shared == null ? 0 : shared.batchSize() * repeats;
  }

  /**
   * Returns a new, empty cache that continues from {@code prefix} without copying it: row {@code
   * j} of the new cache sees prefix row {@code j / n} as its past. Attention reads the prefix in
   * place (the n rows are folded into the query axis), so n continuations of one prefill cost no
   * copy of the prefix; only the new positions are stored per row. The prefix must stay open and
   * unchanged while the new cache is used; {@link #select} and {@link #copyBatch} first
   * materialise the prefix into the new cache.
   *
   * @param prefix the shared past, not itself sharing
   * @param n rows per prefix row, at least 1
   * @return a new cache, closed by the caller (closing it leaves the prefix open)
   */
  public static KvCache sharing(KvCache prefix, int n) {
    checkArgument(n >= 1, "rows per prefix row must be at least 1, got %s", n);
    checkArgument(prefix.shared == null, "the prefix cache must not itself share a prefix");
    KvCache out = new KvCache(prefix.manager.getParentManager(), prefix.keys.length);
    out.shared = prefix;
    out.repeats = n;
    return out;
  }

  /** The shared prefix's keys and values of a layer, or null when this cache shares nothing. */
  NDArray[] sharedLayer(int layer) {
    return shared == null ? null : new NDArray[] {shared.keys[layer], shared.values[layer]};
  }

  /** Rows per shared prefix row. */
  int sharedRepeats() {
    return repeats;
  }

  /** Copies the shared prefix into this cache's own arrays and stops sharing. */
  private void materialise() {
    if (shared == null) {
      return;
    }
    for (int i = 0; i < keys.length; i++) {
      NDArray sk = shared.keys[i].repeat(0, repeats);
      NDArray sv = shared.values[i].repeat(0, repeats);
      sk.attach(manager);
      sv.attach(manager);
      if (keys[i] != null) {
        NDArray k = sk.concat(keys[i], 2);
        NDArray v = sv.concat(values[i], 2);
        k.attach(manager);
        v.attach(manager);
        keys[i].close();
        values[i].close();
        sk.close();
        sv.close();
        keys[i] = k;
        values[i] = v;
      } else {
        keys[i] = sk;
        values[i] = sv;
      }
    }
    shared = null;
    repeats = 1;
  }

  /**
   * Returns the number of layers.
   *
   * @return decoder layers
   */
  public int numLayers() {
    return keys.length;
  }

  /**
   * Returns the manager that owns the cached arrays.
   *
   * @return the cache's sub-manager
   */
  public NDManager manager() {
    return manager;
  }

  /**
   * Appends one layer's new keys and values and returns this cache's own full keys and values of
   * that layer (without a shared prefix).
   *
   * @param layer the layer index
   * @param k new keys {@code [B, kvHeads, T, headDim]}
   * @param v new values, same shape
   * @return the full keys (index 0) and values (index 1), owned by the cache
   */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    if (keys[layer] == null) {
      // k and v are fresh per-call results: the cache takes them over instead of copying.
      keys[layer] = k;
      values[layer] = v;
      keys[layer].attach(manager);
      values[layer].attach(manager);
    } else {
      NDArray oldK = keys[layer];
      NDArray oldV = values[layer];
      checkArgument(oldK.getShape().get(0) == k.getShape().get(0),
          "cache holds %s rows but the input has %s; use copyBatch to widen the cache first",
          oldK.getShape().get(0), k.getShape().get(0));
      keys[layer] = oldK.concat(k, 2);
      values[layer] = oldV.concat(v, 2);
      keys[layer].attach(manager);
      values[layer].attach(manager);
      oldK.close();
      oldV.close();
    }
    return new NDArray[] {keys[layer], values[layer]};
  }

  /**
   * Returns a new cache in which every row of this one is repeated {@code n} times, consecutively
   * (rows {@code a, b} become {@code a x n, b x n}): one prefill shared by n continuations.
   *
   * @param n copies per row, at least 1
   * @return a new cache, owned and closed by the caller
   */
  public KvCache copyBatch(int n) {
    checkArgument(n >= 1, "copies must be at least 1, got %s", n);
    materialise();
    KvCache out = new KvCache(manager.getParentManager(), keys.length);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        continue;
      }
      out.keys[i] = n == 1 ? keys[i].duplicate() : keys[i].repeat(0, n);
      out.values[i] = n == 1 ? values[i].duplicate() : values[i].repeat(0, n);
      out.keys[i].attach(out.manager);
      out.values[i].attach(out.manager);
    }
    return out;
  }

  /**
   * Keeps only some rows, in the given order, in place (rows may repeat).
   *
   * @param rows row indices into the current batch
   */
  public void select(int[] rows) {
    materialise();
    if (keys[0] == null) {
      return;
    }
    try (NDManager tmp = manager.newSubManager()) {
      long[] idx = new long[rows.length];
      int b = batchSize();
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] < 0 || rows[i] >= b) {
          throw new IndexOutOfBoundsException("row " + rows[i] + " of a cache with " + b + " rows");
        }
        idx[i] = rows[i];
      }
      NDArray index = tmp.create(idx);
      for (int i = 0; i < keys.length; i++) {
        NDArray k = keys[i].get(new NDIndex("{}", index));
        NDArray v = values[i].get(new NDIndex("{}", index));
        k.attach(manager);
        v.attach(manager);
        keys[i].close();
        values[i].close();
        keys[i] = k;
        values[i] = v;
      }
    }
  }

  /**
   * Drops the first {@code n} cached positions of every row, in place: used when every row still
   * decoding has at least {@code n} positions of left padding there.
   *
   * @param n positions to drop, from 0 to {@link #length()}
   */
  public void dropFront(int n) {
    if (n < 0 || n > length()) {
      throw new IllegalArgumentException("cannot drop " + n + " of " + length() + " positions");
    }
    materialise();
    if (n == 0 || keys[0] == null) {
      return;
    }
    for (int i = 0; i < keys.length; i++) {
      NDArray k = keys[i].get(new NDIndex(":, :, {}:, :", n));
      NDArray v = values[i].get(new NDIndex(":, :, {}:, :", n));
      k.attach(manager);
      v.attach(manager);
      keys[i].close();
      values[i].close();
      keys[i] = k;
      values[i] = v;
    }
  }

  /** Frees the cached arrays. */
  @Override
  public void close() {
    manager.close();
  }
}
