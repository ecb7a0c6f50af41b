package org.rlaifv.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rlaifv.ModelFormatException;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header,
 * raw little-endian tensor data). Reading accepts F32, F16, BF16 and F64 and converts to float32;
 * writing emits F32. Every malformed input gives a {@link ModelFormatException} naming the file
 * and, where it applies, the tensor.
 */
public final class SafeTensors {

  /** Largest accepted JSON header, in bytes. */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private SafeTensors() {}

  /**
   * A float32 tensor held in Java memory.
   *
   * @param shape the dimensions
   * @param data the values, row-major; length is the product of the shape
   */
  public record Tensor(long[] shape, float[] data) {
    /** Validates that the data matches the shape. */
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
      }
    }
  }

  /**
   * Reads every tensor of a safetensors file, in header order.
   *
   * @param file the file
   * @return tensor name to tensor, insertion-ordered
   * @throws ModelFormatException naming the file (and tensor) when it is missing, truncated or
   *     malformed
   */
  public static Map<String, Tensor> read(Path file) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    stream(file, name -> true, out::put);
    return out;
  }

  /**
   * Describes one tensor of a safetensors header without reading its data.
   *
   * @param dtype the stored dtype ({@code F32}, {@code F16}, {@code BF16}, {@code F64})
   * @param shape the dimensions
   */
  public record Entry(String dtype, long[] shape) {}

  /**
   * Reads a safetensors header: each tensor's dtype and shape, in header order.
   *
   * @param file the file
   * @return tensor name to entry, insertion-ordered
   * @throws ModelFormatException naming the file when it is missing, truncated or malformed
   */
  public static Map<String, Entry> entries(Path file) {
    Map<String, Entry> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode header = header(ch, file);
      for (Map.Entry<String, JsonNode> e : header.properties()) {
        if (!e.getKey().equals("__metadata__")) {
          JsonNode info = e.getValue();
          JsonNode shapeNode = info.get("shape");
          long[] shape = new long[shapeNode == null ? 0 : shapeNode.size()];
          for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
          }
          out.put(e.getKey(), new Entry(info.path("dtype").asText(), shape));
        }
      }
      return out;
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * Reads the tensors of a safetensors file one at a time, converting each to float32 and handing
   * it to {@code sink} before the next is read, so that at most one tensor is held in Java memory.
   *
   * @param file the file
   * @param wanted which tensor names to read; the others are skipped without reading their data
   * @param sink receives each wanted tensor, in header order
   * @throws ModelFormatException naming the file (and tensor) when it is missing, truncated or
   *     malformed
   */
  public static void stream(
      Path file, java.util.function.Predicate<String> wanted,
      java.util.function.BiConsumer<String, Tensor> sink) {
    streamDirect(file, wanted, (name, shape, data) -> {
      float[] values = new float[data.capacity() / 4];
      data.asFloatBuffer().get(values);
      sink.accept(name, new Tensor(shape, values));
    });
  }

  /**
   * Reads the tensors of a safetensors file one at a time into new direct float32 buffers (native
   * byte order), without going through the Java heap: the raw bytes of one tensor are read into a
   * scratch buffer reused across tensors and converted into the tensor's own buffer, which the sink
   * keeps (an engine can adopt it without copying).
   *
   * @param file the file
   * @param wanted which tensor names to read; the others are skipped without reading their data
   * @param sink receives each wanted tensor's name, shape and float32 buffer (position 0), in
   *     header order
   * @throws ModelFormatException naming the file (and tensor) when it is missing, truncated,
   *     malformed, or a tensor exceeds 2 GB as float32
   */
  public static void streamDirect(
      Path file, java.util.function.Predicate<String> wanted, DirectSink sink) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      JsonNode header = header(ch, file);
      long dataStart = 8 + headerLength(ch, file);
      long dataLen = ch.size() - dataStart;
      ByteBuffer scratch = null;
      for (Map.Entry<String, JsonNode> e : header.properties()) {
        String name = e.getKey();
        if (name.equals("__metadata__") || !wanted.test(name)) {
          continue;
        }
        Layout l = layout(file, name, e.getValue(), dataLen);
        if (l.count * 4 > Integer.MAX_VALUE) {
          throw new ModelFormatException(file + ", tensor " + name + ": " + l.count
              + " values exceed the 2 GB a float32 tensor may take here");
        }
        int raw = (int) (l.end - l.begin);
        if (scratch == null || scratch.capacity() < raw) {
          scratch = ByteBuffer.allocateDirect(raw);
        }
        scratch.clear().limit(raw);
        scratch.order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, scratch, dataStart + l.begin, file);
        scratch.flip();
        ByteBuffer out = ByteBuffer.allocateDirect((int) (l.count * 4)).order(ByteOrder.nativeOrder());
        int n = (int) l.count;
        switch (l.dtype) {
          case "F32" -> out.asFloatBuffer().put(scratch.asFloatBuffer());
          case "F64" -> {
            for (int i = 0; i < n; i++) {
              out.putFloat(4 * i, (float) scratch.getDouble(8 * i));
            }
          }
          case "BF16" -> {
            for (int i = 0; i < n; i++) {
              out.putInt(4 * i, (scratch.getShort(2 * i) & 0xffff) << 16);
            }
          }
          default -> {
            for (int i = 0; i < n; i++) {
              out.putFloat(4 * i, halfToFloat(scratch.getShort(2 * i)));
            }
          }
        }
        out.clear();
        sink.accept(name, l.shape, out);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ModelFormatException("missing " + file, e);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e, e);
    }
  }

  /** Receives tensors from {@link #streamDirect}. */
  @FunctionalInterface
  public interface DirectSink {
    /**
     * Takes one tensor.
     *
     * @param name the tensor's name as stored
     * @param shape its dimensions
     * @param data its float32 values, a direct buffer in native byte order, owned by the sink
     */
    void accept(String name, long[] shape, ByteBuffer data);
  }

  private record Layout(String dtype, long[] shape, long count, long begin, long end) {}

  private static Layout layout(Path file, String name, JsonNode info, long dataLen) {
    String where = file + ", tensor " + name;
    JsonNode dtypeNode = info.get("dtype");
    JsonNode shapeNode = info.get("shape");
    JsonNode offs = info.get("data_offsets");
    if (dtypeNode == null || shapeNode == null || !shapeNode.isArray() || offs == null
        || !offs.isArray() || offs.size() != 2) {
      throw new ModelFormatException(where + ": header entry lacks dtype, shape or data_offsets");
    }
    String dtype = dtypeNode.asText();
    int width =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          case "F64" -> 8;
          default -> throw new ModelFormatException(
              where + ": unsupported dtype " + dtype + " (F32, F16, BF16 or F64 expected)");
        };
    long[] shape = new long[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong(-1);
      if (shape[i] < 0) {
        throw new ModelFormatException(where + ": negative or malformed shape " + shapeNode);
      }
      count *= shape[i];
    }
    long begin = offs.get(0).asLong(-1);
    long end = offs.get(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataLen) {
      throw new ModelFormatException(
          where + ": data offsets [" + begin + ", " + end + ") lie outside the " + dataLen
              + " data bytes; the file is truncated or corrupt");
    }
    if (end - begin != count * width) {
      throw new ModelFormatException(
          where + ": " + (end - begin) + " bytes do not hold shape " + Arrays.toString(shape)
              + " of " + dtype);
    }
    return new Layout(dtype, shape, count, begin, end);
  }

  private static long headerLength(FileChannel ch, Path file) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw new ModelFormatException(
          file + " is truncated: " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, lenBuf, 0, file);
    long headerLen = lenBuf.getLong(0);
    if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
      throw new ModelFormatException(
          file + " is corrupt or truncated: header length " + headerLen + " but the file has "
              + size + " bytes");
    }
    return headerLen;
  }

  private static JsonNode header(FileChannel ch, Path file) throws IOException {
    long headerLen = headerLength(ch, file);
    ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
    readFully(ch, hb, 8, file);
    JsonNode header;
    try {
      header = VlmConfig.json().readTree(new String(hb.array(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelFormatException(
          file + " is corrupt: its safetensors header is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (header == null || !header.isObject()) {
      throw new ModelFormatException(file + " is corrupt: its safetensors header is not an object");
    }
    return header;
  }

  private static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file)
      throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new ModelFormatException(file + " is truncated at byte " + p);
      }
      p += n;
    }
  }

  /**
   * Writes tensors as a float32 safetensors file, atomically (temp file, then rename).
   *
   * @param file the destination
   * @param tensors name to tensor, written in iteration order
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors) {
    ObjectNode header = VlmConfig.json().createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().data().length;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] hjson;
    try {
      hjson = VlmConfig.json().writer().withoutFeatures(
              com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(header);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int padded = (hjson.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(hjson, padded);
    Arrays.fill(headerBytes, hjson.length, padded, (byte) ' ');
    try {
      AtomicFiles.write(
          file,
          out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            len.putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
              writeFloats(out, t.data());
            }
          });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeFloats(OutputStream out, float[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : data) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putFloat(f);
    }
    out.write(buf.array(), 0, buf.position());
  }
}
