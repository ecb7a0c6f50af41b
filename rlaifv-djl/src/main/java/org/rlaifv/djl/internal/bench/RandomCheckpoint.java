package org.rlaifv.djl.internal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes random weights as BF16 safetensors shards with a {@code model.safetensors.index.json}, as
 * the hub stores checkpoints. Values are drawn by a seeded xorshift generator, one stream per
 * tensor (seeded from the seed and the tensor's name, so a tensor's values do not depend on the
 * others): norm scales are 1, biases uniform in (-0.01, 0.01), every other tensor uniform with
 * standard deviation 0.02 (the usual {@code initializer_range}). Values stay far from float32's
 * subnormal range, so timings are not skewed by slow subnormal arithmetic.
 *
 * <pre>{@code
 * RandomCheckpoint.write(dir, VlmModel.parameterShapes(config), 1L << 30, 7);
 * }</pre>
 */
public final class RandomCheckpoint {
  /** The shard index file name. */
  public static final String INDEX = "model.safetensors.index.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 1 << 22;

  private RandomCheckpoint() {}

  /**
   * Writes the shards and the index.
   *
   * @param dir the model directory, created when absent
   * @param shapes tensor name (as stored) to shape, in file order
   * @param shardBytes a shard is closed before it would exceed this size (a larger tensor gets a
   *     shard of its own)
   * @param seed the random seed
   * @return the bytes of tensor data written
   * @throws UncheckedIOException when a file cannot be written
   */
  public static long write(Path dir, Map<String, long[]> shapes, long shardBytes, long seed) {
    return write(dir, shapes, shardBytes, seed, true);
  }

  /**
   * Writes the shards and the index, or, without data, shards that hold only their headers (a
   * truncated checkpoint, for tests that must fail before any tensor is read).
   *
   * @param dir the model directory, created when absent
   * @param shapes tensor name (as stored) to shape, in file order
   * @param shardBytes a shard is closed before it would exceed this size
   * @param seed the random seed
   * @param withData whether the tensors' values are written
   * @return the bytes of tensor data the headers describe
   * @throws UncheckedIOException when a file cannot be written
   */
  public static long write(
      Path dir, Map<String, long[]> shapes, long shardBytes, long seed, boolean withData) {
    List<Map<String, long[]>> shards = new ArrayList<>();
    Map<String, long[]> cur = new LinkedHashMap<>();
    long size = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long n = count(e.getValue()) * 2;
      if (size > 0 && size + n > shardBytes) {
        shards.add(cur);
        cur = new LinkedHashMap<>();
        size = 0;
      }
      cur.put(e.getKey(), e.getValue());
      size += n;
    }
    shards.add(cur);
    ObjectNode index = JSON.createObjectNode();
    ObjectNode map = index.putObject("weight_map");
    long total = 0;
    try {
      Files.createDirectories(dir);
      for (int s = 0; s < shards.size(); s++) {
        String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
        total += writeShard(dir.resolve(file), shards.get(s), seed, withData);
        for (String key : shards.get(s).keySet()) {
          map.put(key, file);
        }
      }
      index.putObject("metadata").put("total_size", total);
      Files.writeString(dir.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write random weights into " + dir, e);
    }
    return total;
  }

  private static long writeShard(
      Path file, Map<String, long[]> tensors, long seed, boolean withData) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long off = 0;
    for (Map.Entry<String, long[]> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "BF16");
      ArrayNode sh = t.putArray("shape");
      for (long d : e.getValue()) {
        sh.add(d);
      }
      long n = count(e.getValue()) * 2;
      t.putArray("data_offsets").add(off).add(off + n);
      off += n;
    }
    byte[] h = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int pad = (8 - h.length % 8) % 8;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer hb = ByteBuffer.allocate(8 + h.length + pad).order(ByteOrder.LITTLE_ENDIAN);
      hb.putLong(h.length + pad).put(h);
      while (hb.hasRemaining()) {
        hb.put((byte) ' ');
      }
      hb.flip();
      writeFully(ch, hb);
      ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      for (Map.Entry<String, long[]> e : withData ? tensors.entrySet()
          : Map.<String, long[]>of().entrySet()) {
        writeTensor(ch, chunk, e.getKey(), count(e.getValue()), seed);
      }
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return off;
  }

  private static void writeTensor(FileChannel ch, ByteBuffer chunk, String name, long n, long seed)
      throws IOException {
    boolean norm = name.endsWith(".weight") && (name.contains("norm") || name.contains("layrnorm"));
    boolean bias = name.endsWith(".bias");
    // uniform(-a, a) has standard deviation a / sqrt(3)
    float scale = bias ? 0.01f : 0.02f * (float) Math.sqrt(3);
    long x = seed * 0x9E3779B97F4A7C15L ^ name.hashCode() * 0xC2B2AE3D27D4EB4FL;
    if (x == 0) {
      x = 1;
    }
    long left = n;
    while (left > 0) {
      chunk.clear();
      int m = (int) Math.min(left, CHUNK / 2);
      if (norm) {
        for (int i = 0; i < m; i++) {
          chunk.putShort((short) (Float.floatToRawIntBits(1f) >>> 16));
        }
      } else {
        for (int i = 0; i < m; i++) {
          x ^= x << 13;
          x ^= x >>> 7;
          x ^= x << 17;
          // 24 random bits to a float in (-1, 1), scaled; BF16 keeps the top 16 bits
          float u = ((x >>> 40) - 8388608f) / 8388608f * scale;
          chunk.putShort((short) (Float.floatToRawIntBits(u) >>> 16));
        }
      }
      chunk.flip();
      writeFully(ch, chunk);
      left -= m;
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
