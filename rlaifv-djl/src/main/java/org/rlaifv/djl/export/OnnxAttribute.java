package org.rlaifv.djl.export;

import java.util.Objects;

/**
 * One attribute of an ONNX node ({@code AttributeProto}), created with the typed factories.
 *
 * <pre>{@code
 * graph.node("Softmax", List.of("x"), List.of("y"), OnnxAttribute.ofInt("axis", -1));
 * }</pre>
 */
public final class OnnxAttribute {
  private static final int TYPE_FLOAT = 1;
  private static final int TYPE_INT = 2;
  private static final int TYPE_STRING = 3;
  private static final int TYPE_TENSOR = 4;
  private static final int TYPE_FLOATS = 6;
  private static final int TYPE_INTS = 7;

  private final String name;
  private final byte[] encoded;

  private OnnxAttribute(String name, ProtoWriter w) {
    this.name = name;
    this.encoded = w.toByteArray();
  }

  private static ProtoWriter start(String name, int type) {
    Objects.requireNonNull(name, "attribute name");
    return new ProtoWriter().string(1, name).varint(20, type);
  }

  /**
   * Creates an integer attribute.
   *
   * @param name attribute name
   * @param value the value
   * @return the attribute
   */
  public static OnnxAttribute ofInt(String name, long value) {
    return new OnnxAttribute(name, start(name, TYPE_INT).varint(3, value));
  }

  /**
   * Creates a float attribute.
   *
   * @param name attribute name
   * @param value the value
   * @return the attribute
   */
  public static OnnxAttribute ofFloat(String name, float value) {
    return new OnnxAttribute(name, start(name, TYPE_FLOAT).float32(2, value));
  }

  /**
   * Creates a string attribute (UTF-8).
   *
   * @param name attribute name
   * @param value the value
   * @return the attribute
   */
  public static OnnxAttribute ofString(String name, String value) {
    return new OnnxAttribute(name, start(name, TYPE_STRING).string(4, value));
  }

  /**
   * Creates an integer-list attribute.
   *
   * @param name attribute name
   * @param values the values
   * @return the attribute
   */
  public static OnnxAttribute ofInts(String name, long... values) {
    ProtoWriter w = start(name, TYPE_INTS);
    for (long v : values) {
      w.varint(8, v);
    }
    return new OnnxAttribute(name, w);
  }

  /**
   * Creates a float-list attribute.
   *
   * @param name attribute name
   * @param values the values
   * @return the attribute
   */
  public static OnnxAttribute ofFloats(String name, float... values) {
    ProtoWriter w = start(name, TYPE_FLOATS);
    for (float v : values) {
      w.float32(7, v);
    }
    return new OnnxAttribute(name, w);
  }

  /**
   * Creates a tensor attribute (as used by {@code Constant} and {@code ConstantOfShape}).
   *
   * @param name attribute name
   * @param tensor the tensor value
   * @return the attribute
   */
  public static OnnxAttribute ofTensor(String name, OnnxConstant tensor) {
    return new OnnxAttribute(name, start(name, TYPE_TENSOR).message(5, tensor.encode()));
  }

  /**
   * Returns the attribute name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  byte[] encoded() {
    return encoded;
  }
}
