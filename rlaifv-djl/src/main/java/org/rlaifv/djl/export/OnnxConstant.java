package org.rlaifv.djl.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named constant tensor ({@code TensorProto}) holding float32 or int64 data, written as
 * little-endian {@code raw_data} inside the model file (no external data).
 *
 * <p>Immutable: the factories copy the data.
 */
public final class OnnxConstant {
  /** ONNX {@code TensorProto.DataType.FLOAT}. */
  static final int FLOAT = 1;

  /** ONNX {@code TensorProto.DataType.INT64}. */
  static final int INT64 = 7;

  private final String name;
  private final int dataType;
  private final long[] shape;
  private final byte[] raw;

  private OnnxConstant(String name, int dataType, long[] shape, byte[] raw) {
    this.name = Objects.requireNonNull(name, "tensor name");
    this.dataType = dataType;
    this.shape = shape.clone();
    this.raw = raw;
  }

  private static long count(String name, long[] shape, int length) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor " + name + " has a negative dimension " + d);
      }
      n *= d;
    }
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
    return raw.length;
  }

  byte[] encode() {
    ProtoWriter w = new ProtoWriter(raw.length + 64 + name.length());
    for (long d : shape) {
      w.varint(1, d);
    }
    w.varint(2, dataType);
    w.string(8, name);
    w.bytes(9, raw);
    return w.toByteArray();
  }
}
