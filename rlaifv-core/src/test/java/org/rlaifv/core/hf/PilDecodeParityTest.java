package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.Image;

/** {@link Image#fromFile} gives the bytes of PIL's {@code Image.open(f).convert("RGB")}. */
class PilDecodeParityTest {

  static Stream<Arguments> decodeCases() {
    return StreamSupport.stream(Goldens.cases("decode.json").spliterator(), false)
        .map(c -> Arguments.of(c.get("file").asText() + " (PIL mode " + c.get("pil_mode").asText()
            + ")", c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesAsPilConvertsToRgb(String name, JsonNode c) {
    Image img = Image.fromFile(Goldens.dir().resolve(c.get("file").asText()));
    assertEquals(c.get("width").intValue(), img.width());
    assertEquals(c.get("height").intValue(), img.height());
    assertArrayEquals(Goldens.bytes(c.get("rgb")), img.rgb(), name);
  }

  /** PIL ignores colour-management chunks; so must the decoder (here a linear-RGB profile). */
  @Test
  void colourProfileAndGammaChunksAreIgnoredAsPilDoes() throws IOException {
    byte[] png = Files.readAllBytes(Goldens.dir().resolve("rgb_13x7.png"));
    byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    ByteArrayOutputStream iccp = new ByteArrayOutputStream();
    iccp.write("linear\0".getBytes(StandardCharsets.ISO_8859_1));
    iccp.write(0); // zlib
    try (DeflaterOutputStream z = new DeflaterOutputStream(iccp)) {
      z.write(profile);
    }
    byte[] gama = ByteBuffer.allocate(4).putInt(100000).array(); // gamma 1.0
    byte[] withChunks = insertAfterIhdr(png, chunk("gAMA", gama), chunk("iCCP", iccp.toByteArray()));
    Image plain = Image.fromFile(Goldens.dir().resolve("rgb_13x7.png"));
    assertEquals(plain, Image.fromBytes(withChunks, "rgb_13x7 with iCCP and gAMA"));
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    b.put(typeBytes);
    b.put(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static byte[] insertAfterIhdr(byte[] png, byte[]... chunks) {
    int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, length, type, IHDR data, CRC
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, ihdrEnd);
    for (byte[] c : chunks) {
      out.write(c, 0, c.length);
    }
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }
}
