package org.rlaifv.djl.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The protobuf encoding matches bytes worked out by hand from the wire-format rules. */
class ProtoWriterTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void varintsIncludingNegativeValues() {
    ProtoWriter w = new ProtoWriter().varint(1, 150).varint(2, -1);
    // field 1 varint 150 = 08 96 01; field 2 varint -1 = 10 + ten bytes (ff x9, 01)
    assertArrayEquals(hex("08 9601 10 ffffffffffffffffff01"), w.toByteArray());
  }

  @Test
  void integerAttribute() {
    // name "axis" (0a 04 ...), type INT = 2 at field 20 (a0 01 02), i = -1 at field 3 (18 ...)
    assertArrayEquals(
        hex("0a 04 61786973 a001 02 18 ffffffffffffffffff01"),
        OnnxAttribute.ofInt("axis", -1).encoded());
  }

  @Test
  void floatAttributeIsLittleEndianFixed32() {
    // name "alpha", type FLOAT = 1, f = 1.0f = 0x3f800000 at field 2 (wire type 5: 15)
    assertArrayEquals(
        hex("0a 05 616c706861 a001 01 15 0000803f"),
        OnnxAttribute.ofFloat("alpha", 1f).encoded());
  }

  @Test
  void floatTensorWithRawData() {
    // dims 2 (08 02), data_type FLOAT (10 01), name "w" (42 01 77), raw_data 8 bytes (4a 08 ...)
    assertArrayEquals(
        hex("08 02 10 01 42 01 77 4a 08 0000803f 00000040"),
        OnnxConstant.ofFloats("w", new float[] {1f, 2f}, 2).encode());
  }

  @Test
  void externalTensorNamesItsFileOffsetAndLength() {
    // dims, type and name as above; three external_data entries (field 13: key 1, value 2) for
    // location, offset and length; data_location EXTERNAL (field 14 = 1); no raw_data
    assertArrayEquals(
        hex("08 02 10 01 42 01 77"
            + " 6a 12 0a 08 6c6f636174696f6e 12 06 772e64617461"
            + " 6a 0e 0a 06 6f6666736574 12 04 34303936"
            + " 6a 0b 0a 06 6c656e677468 12 01 38"
            + " 70 01"),
        OnnxConstant.lazyFloats("w", () -> new float[] {1f, 2f}, 2).header("w.data", 4096));
  }

  @Test
  void streamedSizesMatchTheBufferedEncoding() throws Exception {
    ProtoWriter child = new ProtoWriter().string(1, "x".repeat(200));
    ProtoWriter parent = new ProtoWriter().message(5, child);
    java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
    ProtoWriter.lengthPrefix(streamed, 5, child.size());
    streamed.write(child.toByteArray());
    assertArrayEquals(parent.toByteArray(), streamed.toByteArray());
    org.junit.jupiter.api.Assertions.assertEquals(
        parent.size(), ProtoWriter.fieldSize(5, child.size()));
  }

  @Test
  void shapeMustMatchData() {
    assertThrows(
        IllegalArgumentException.class, () -> OnnxConstant.ofLongs("x", new long[] {1, 2, 3}, 2, 2));
  }
}
