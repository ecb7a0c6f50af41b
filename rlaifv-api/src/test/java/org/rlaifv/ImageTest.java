package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTest {

  private static Image gradient(int w, int h) {
    byte[] px = new byte[w * h * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7);
    }
    return new Image(w, h, px);
  }

  @Test
  void rejectsBadSizesAndArrays() {
    assertThrows(InvalidInputException.class, () -> new Image(0, 1, new byte[0]));
    assertThrows(InvalidInputException.class, () -> new Image(2, 2, new byte[11]));
    assertThrows(InvalidInputException.class, () -> new Image(2, 2, null));
    assertThrows(InvalidInputException.class, () -> new Image(5000, 5000, new byte[3]));
  }

  @Test
  void isImmutable() {
    byte[] px = new byte[3];
    Image img = new Image(1, 1, px);
    px[0] = 9;
    assertEquals(0, img.at(0, 0, 0));
    img.rgb()[0] = 9;
    assertEquals(0, img.at(0, 0, 0));
  }

  @Test
  void junkBytesNameTheSource() {
    var e = assertThrows(InvalidInputException.class,
        () -> Image.fromBytes("not an image at all".getBytes(), "upload-42.png"));
    assertTrue(e.getMessage().contains("upload-42.png"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> Image.fromBytes(new byte[0], "empty"));
  }

  @Test
  void oversizedBytesAreRefusedBeforeDecoding() {
    byte[] big = new byte[(int) Image.MAX_FILE_BYTES + 1];
    var e = assertThrows(InvalidInputException.class, () -> Image.fromBytes(big, "huge.png"));
    assertTrue(e.getMessage().contains("huge.png"));
  }

  @Test
  void aTinyFileClaimingAHugeCanvasIsRefused() throws IOException {
    var e = assertThrows(InvalidInputException.class,
        () -> Image.fromBytes(pngHeaderOnly(5000, 5000), "bomb.png"));
    assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());
    assertTrue(e.getMessage().contains("5000x5000"), e.getMessage());
  }

  @Test
  void pngRoundTripsThroughAFile(@TempDir Path dir) throws IOException {
    Image img = gradient(7, 5);
    Path f = dir.resolve("g.png");
    img.writePng(f);
    Image back = Image.fromFile(f);
    assertEquals(img, back);
    assertEquals(img.hashCode(), back.hashCode());
    assertEquals(img.contentHash(), back.contentHash());
    assertArrayEquals(img.rgb(), Image.fromBytes(Files.readAllBytes(f), "g").rgb());
    assertNotEquals(img.contentHash(), gradient(5, 7).contentHash());
  }

  @Test
  void missingFileNamesThePath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.png");
    var e = assertThrows(InvalidInputException.class, () -> Image.fromFile(missing));
    assertTrue(e.getMessage().contains("nope.png"));
  }

  @Test
  void resizesAndConvertsToChw() {
    Image img = gradient(4, 4);
    assertEquals(img, img.resized(4, 4));
    Image small = img.resized(2, 3);
    assertEquals(2, small.width());
    assertEquals(3, small.height());
    float[] chw = new Image(1, 1, new byte[] {(byte) 255, 0, (byte) 51}).toFloatChw();
    assertArrayEquals(new float[] {1f, 0f, 0.2f}, chw, 1e-6f);
  }

  @Test
  void greyImagesKeepTheirSampleValues() {
    // AWT's getRGB treats TYPE_BYTE_GRAY as linear light and would turn 100 into about 168;
    // PIL's convert("RGB") copies the grey level into each channel.
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 100);
    grey.getRaster().setSample(1, 0, 0, 255);
    Image img = Image.fromBufferedImage(grey);
    assertArrayEquals(new byte[] {100, 100, 100, (byte) 255, (byte) 255, (byte) 255}, img.rgb());

    // 16-bit grey: PIL clips to 255 rather than scaling.
    BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(0, 0, 0, 200);
    grey16.getRaster().setSample(1, 0, 0, 40000);
    assertArrayEquals(new byte[] {(byte) 200, (byte) 200, (byte) 200, (byte) 255, (byte) 255,
        (byte) 255}, Image.fromBufferedImage(grey16).rgb());
  }

  /** A PNG signature and IHDR chunk with the given size, and nothing else. */
  private static byte[] pngHeaderOnly(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    DataOutputStream c = new DataOutputStream(chunk);
    c.writeBytes("IHDR");
    c.writeInt(w);
    c.writeInt(h);
    c.writeByte(8); // bit depth
    c.writeByte(2); // truecolour
    c.writeByte(0);
    c.writeByte(0);
    c.writeByte(0);
    byte[] body = chunk.toByteArray();
    d.writeInt(body.length - 4);
    d.write(body);
    CRC32 crc = new CRC32();
    crc.update(body);
    d.writeInt((int) crc.getValue());
    return out.toByteArray();
  }
}
