package org.rlaifv.djl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A named constant tensor ({@code TensorProto}) holding float32 or int64 data, written as
 * little-endian {@code raw_data} inside the model file or, for a weight of a large graph, in an
 * external-data file beside it.
 *
 * <p>Immutable: the factories copy the data. A weight made by {@link #lazyFloats} holds no data
 * until it is written: its values are computed then, written, and dropped, so that a graph of
 * several gigabytes is streamed to disk one tensor at a time.
 */
public final class OnnxConstant {
  /** ONNX {@code TensorProto.DataType.FLOAT}. */
  static final int FLOAT = 1;

  /** ONNX {@code TensorProto.DataType.INT64}. */
  static final int INT64 = 7;

  private final String name;
  private final int dataType;
  private final long[] shape;
  /** Bytes written per chunk when a lazy weight is converted to little-endian. */
  private static final int CHUNK_FLOATS = 1 << 18;

  private final byte[] raw;
  private final Supplier<float[]> lazy;
  private final long count;

  private OnnxConstant(
      String name, int dataType, long[] shape, byte[] raw, Supplier<float[]> lazy, long count) {
    this.name = Objects.requireNonNull(name, "tensor name");
    this.dataType = dataType;
    this.shape = shape.clone();
    this.raw = raw;
    this.lazy = lazy;
    this.count = count;
  }

  private OnnxConstant(String name, int dataType, long[] shape, byte[] raw) {
    this(name, dataType, shape, raw, null, -1);
  }

  private static long elements(String name, long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor " + name + " has a negative dimension " + d);
      }
      n *= d;
    }
    return n;
  }

  private static long count(String name, long[] shape, long length) {
    long n = elements(name, shape);
    if (n != length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + " ("
              + n
              + " values) but "
              + length
              + " values were given");
    }
    return n;
  }

  /**
   * Creates a float32 tensor.
   *
   * @param name tensor name, unique in its graph
   * @param data the values, row-major
   * @param shape the dimensions; empty for a scalar
   * @return the tensor
   * @throws IllegalArgumentException when the shape does not match the data length
   */
  public static OnnxConstant ofFloats(String name, float[] data, long... shape) {
    count(name, shape, data.length);
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return new OnnxConstant(name, FLOAT, shape, b.array());
  }

  /**
   * Creates a float32 weight whose values are computed only when the tensor is written (and
   * dropped afterwards); see the class comment.
   *
   * @param name tensor name, unique in its graph
   * @param data computes the values, row-major, as many as the shape holds
   * @param shape the dimensions
   * @return the tensor
   */
  static OnnxConstant lazyFloats(String name, Supplier<float[]> data, long... shape) {
    return new OnnxConstant(
        name, FLOAT, shape, null, Objects.requireNonNull(data, "data"), elements(name, shape));
  }

  /**
   * Creates an int64 tensor.
   *
   * @param name tensor name, unique in its graph
   * @param data the values, row-major
   * @param shape the dimensions; empty for a scalar
   * @return the tensor
   * @throws IllegalArgumentException when the shape does not match the data length
   */
  public static OnnxConstant ofLongs(String name, long[] data, long... shape) {
    count(name, shape, data.length);
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return new OnnxConstant(name, INT64, shape, b.array());
  }

  /**
   * Returns the tensor name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the dimensions.
   *
   * @return a copy of the shape
   */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * Returns the size of the raw data in bytes.
   *
   * @return the byte count
   */
  public long byteSize() {
    return raw != null ? raw.length : 4 * count;
  }

  /** Whether the values are computed when written (a model weight, see {@link #lazyFloats}). */
  boolean isLazy() {
    return lazy != null;
  }

  /**
   * Encodes the {@code TensorProto} fields that precede the data: dims, data type and name, and
   * for a tensor stored outside the model file its external-data location, offset and length.
   *
   * @param location the external-data file name, or null for data inside the model file
   * @param offset the data's offset in that file
   */
  byte[] header(String location, long offset) {
    ProtoWriter w = new ProtoWriter(64 + name.length());
    for (long d : shape) {
      w.varint(1, d);
    }
    w.varint(2, dataType);
    w.string(8, name);
    if (location != null) {
      w.message(13, new ProtoWriter().string(1, "location").string(2, location));
      w.message(13, new ProtoWriter().string(1, "offset").string(2, Long.toString(offset)));
      w.message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(byteSize())));
      w.varint(14, 1); // data_location = EXTERNAL
    }
    return w.toByteArray();
  }

  /**
   * Writes the raw little-endian data, computing a lazy weight's values now.
   *
   * @param out the stream
   * @throws IOException when the stream fails
   * @throws IllegalStateException when a lazy weight yields another number of values than its
   *     shape holds
   */
  void writeData(OutputStream out) throws IOException {
    if (raw != null) {
      out.write(raw);
      return;
    }
    float[] values = lazy.get();
    if (values.length != count) {
      throw new IllegalStateException(
          "weight " + name + " yielded " + values.length + " values, its shape "
              + Arrays.toString(shape) + " holds " + count);
    }
    ByteBuffer b =
        ByteBuffer.allocate(4 * Math.min(CHUNK_FLOATS, values.length)).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
      int n = Math.min(CHUNK_FLOATS, values.length - from);
      b.clear();
      b.asFloatBuffer().put(values, from, n);
      out.write(b.array(), 0, 4 * n);
    }
  }

  /** Encodes the whole {@code TensorProto} with its data inside (for small tensors and tests). */
  byte[] encode() {
    try {
      java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream((int) byteSize());
      writeData(data);
      ProtoWriter w = new ProtoWriter((int) byteSize() + 64 + name.length());
      w.raw(header(null, 0));
      w.bytes(9, data.toByteArray());
      return w.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
