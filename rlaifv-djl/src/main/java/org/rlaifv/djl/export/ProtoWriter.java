package org.rlaifv.djl.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format encoder: enough of the format to write ONNX messages (varints,
 * fixed 32-bit values, length-delimited bytes, strings and nested messages).
 *
 * <p>Nested messages are built bottom-up: encode the child into its own writer, then {@link
 * #message(int, ProtoWriter)} copies it in with its length prefix. A message too large to hold in
 * memory (a model with its weights) is streamed instead: its size is worked out from the parts
 * ({@link #fieldSize}) and written as a prefix ({@link #lengthPrefix}) before the parts.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED32 = 5;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out;

  ProtoWriter() {
    this(64);
  }

  ProtoWriter(int initialCapacity) {
    out = new ByteArrayOutputStream(initialCapacity);
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  private void rawVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Writes an int32/int64/enum/bool field (negative values take ten bytes, as protobuf does). */
  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  /** Writes a float field (wire type fixed32, little-endian). */
  ProtoWriter float32(int field, float value) {
    tag(field, FIXED32);
    int bits = Float.floatToRawIntBits(value);
    out.write(bits);
    out.write(bits >>> 8);
    out.write(bits >>> 16);
    out.write(bits >>> 24);
    return this;
  }

  /** Writes a bytes field. */
  ProtoWriter bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  /** Writes a string field as UTF-8. */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a nested message field. */
  ProtoWriter message(int field, ProtoWriter child) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(child.out.size());
    out.writeBytes(child.out.toByteArray());
    return this;
  }

  /** Writes an already-encoded nested message field. */
  ProtoWriter message(int field, byte[] encoded) {
    return bytes(field, encoded);
  }

  /** Appends already-encoded fields as they are. */
  ProtoWriter raw(byte[] encoded) {
    out.writeBytes(encoded);
    return this;
  }

  /** Returns the number of bytes a varint of this value takes. */
  static int varintSize(long value) {
    int n = 1;
    long v = value;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  /** Returns the bytes a length-delimited field of this payload length takes, tag included. */
  static long fieldSize(int field, long payload) {
    return varintSize((long) field << 3) + varintSize(payload) + payload;
  }

  /**
   * Writes the tag and length prefix of a length-delimited field whose payload the caller then
   * streams.
   */
  static void lengthPrefix(OutputStream stream, int field, long payload) throws IOException {
    streamVarint(stream, ((long) field << 3) | LENGTH_DELIMITED);
    streamVarint(stream, payload);
  }

  private static void streamVarint(OutputStream stream, long value) throws IOException {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      stream.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    stream.write((int) v);
  }

  /** Returns the number of bytes written so far. */
  int size() {
    return out.size();
  }

  /** Returns a copy of the encoded bytes. */
  byte[] toByteArray() {
    return out.toByteArray();
  }
}
