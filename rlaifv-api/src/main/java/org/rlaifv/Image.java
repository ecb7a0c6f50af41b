package org.rlaifv;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * An RGB image: {@code width x height} pixels, 3 bytes per pixel, row-major, no alpha.
 *
 * <p>Immutable: the constructor copies the pixel array and {@link #rgb()} returns a copy. Load
 * files with {@link #fromFile(Path)} or {@link #fromBytes(byte[], String)}, which enforce {@link
 * #MAX_FILE_BYTES} and {@link #MAX_PIXELS} so that an untrusted file cannot exhaust memory.
 *
 * <pre>{@code
 * Image img = Image.fromFile(Path.of("scene.png"));
 * float[] chw = img.resized(32, 32).toFloatChw(); // 3 x 32 x 32, values in [0, 1]
 * }</pre>
 *
 * @param width width in pixels, at least 1
 * @param height height in pixels, at least 1
 * @param rgb {@code width * height * 3} bytes, row-major RGB
 */
public record Image(int width, int height, byte[] rgb) {

  /** Largest encoded image file accepted by the loaders, in bytes (32 MiB). */
  public static final long MAX_FILE_BYTES = 32L << 20;

  /** Largest decoded image accepted, in pixels (4096 x 4096). */
  public static final long MAX_PIXELS = 4096L * 4096L;

  /**
   * Validates the size and copies the pixels.
   *
   * @throws InvalidInputException when a dimension is not positive, the image is larger than
   *     {@link #MAX_PIXELS}, or the array length is not {@code width * height * 3}
   */
  public Image {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException("image size must be positive, got " + width + "x" + height);
    }
    if ((long) width * height > MAX_PIXELS) {
      throw new InvalidInputException(
          "image " + width + "x" + height + " exceeds the limit of " + MAX_PIXELS + " pixels");
    }
    if (rgb == null || rgb.length != width * height * 3) {
      throw new InvalidInputException(
          "image pixel array must hold "
              + (width * height * 3)
              + " bytes for "
              + width
              + "x"
              + height
              + " RGB, got "
              + (rgb == null ? "null" : rgb.length));
    }
    rgb = rgb.clone();
  }

  /**
   * Returns a copy of the pixels.
   *
   * @return {@code width * height * 3} bytes, row-major RGB
   */
  @Override
  public byte[] rgb() {
    return rgb.clone();
  }

  /**
   * Returns one channel of one pixel.
   *
   * @param x column, from 0
   * @param y row, from 0
   * @param channel 0 red, 1 green, 2 blue
   * @return the value in 0..255
   */
  public int at(int x, int y, int channel) {
    return rgb[(y * width + x) * 3 + channel] & 0xff;
  }

  /**
   * Returns the pixels as floats in channel-major order (3 x height x width), scaled to [0, 1].
   *
   * @return a new array of {@code 3 * height * width} floats
   */
  public float[] toFloatChw() {
    int plane = width * height;
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      out[i] = (rgb[3 * i] & 0xff) / 255f;
      out[plane + i] = (rgb[3 * i + 1] & 0xff) / 255f;
      out[2 * plane + i] = (rgb[3 * i + 2] & 0xff) / 255f;
    }
    return out;
  }

  /**
   * Returns this image scaled to a new size by bilinear interpolation (this image when the size is
   * unchanged).
   *
   * @param newWidth target width
   * @param newHeight target height
   * @return the resized image
   */
  public Image resized(int newWidth, int newHeight) {
    if (newWidth == width && newHeight == height) {
      return this;
    }
    byte[] out = new byte[newWidth * newHeight * 3];
    double sx = (double) width / newWidth;
    double sy = (double) height / newHeight;
    for (int y = 0; y < newHeight; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, height - 1);
      int y1 = Math.min(y0 + 1, height - 1);
      double wy = fy - y0;
      for (int x = 0; x < newWidth; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, width - 1);
        int x1 = Math.min(x0 + 1, width - 1);
        double wx = fx - x0;
        for (int c = 0; c < 3; c++) {
          double top = at(x0, y0, c) * (1 - wx) + at(x1, y0, c) * wx;
          double bottom = at(x0, y1, c) * (1 - wx) + at(x1, y1, c) * wx;
          out[(y * newWidth + x) * 3 + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return new Image(newWidth, newHeight, out);
  }

  /**
   * Returns a stable hex digest (SHA-256) of the size and pixels, usable as an image id in run
   * directories and provenance.
   *
   * @return 64 lowercase hex characters
   */
  public String contentHash() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((width + "x" + height + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      md.update(rgb);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /**
   * Writes the image as a PNG file.
   *
   * @param file destination; parent directories must exist
   * @throws UncheckedIOException when the file cannot be written
   */
  public void writePng(Path file) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (at(x, y, 0) << 16) | (at(x, y, 1) << 8) | at(x, y, 2));
      }
    }
    try {
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IOException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write image " + file, e);
    }
  }

  /**
   * Loads an image file (PNG, JPEG, BMP, GIF: whatever {@code javax.imageio} reads).
   *
   * @param file the image file
   * @return the decoded image
   * @throws InvalidInputException naming the file when it is missing, too large, or not an image
   */
  public static Image fromFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new InvalidInputException(
            "image file " + file + " is " + size + " bytes, over the limit of " + MAX_FILE_BYTES);
      }
      return fromBytes(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read image file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes an encoded image.
   *
   * @param encoded the file contents
   * @param name a name for messages (file name, URL, record id)
   * @return the decoded image
   * @throws InvalidInputException naming {@code name} when the bytes are too many, not an image,
   *     or decode to more than {@link #MAX_PIXELS}
   */
  public static Image fromBytes(byte[] encoded, String name) {
    Objects.requireNonNull(name, "name");
    if (encoded.length > MAX_FILE_BYTES) {
      throw new InvalidInputException(
          "image " + name + " is " + encoded.length + " bytes, over the limit of " + MAX_FILE_BYTES);
    }
    try (InputStream in = new ByteArrayInputStream(encoded);
        javax.imageio.stream.ImageInputStream iis = ImageIO.createImageInputStream(in)) {
      var readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        throw new InvalidInputException("image " + name + " is not in a readable image format");
      }
      var reader = readers.next();
      try {
        reader.setInput(iis, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        // Check the declared size before decoding, so a tiny file cannot claim a huge canvas.
        if (w * h > MAX_PIXELS) {
          throw new InvalidInputException(
              "image " + name + " is " + w + "x" + h + ", over the limit of " + MAX_PIXELS + " pixels");
        }
        BufferedImage img = reader.read(0);
        return fromBufferedImage(img);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      throw new InvalidInputException("cannot decode image " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies an AWT image into an {@code Image}, dropping alpha, with the values PIL's {@code
   * Image.open(f).convert("RGB")} gives for the same file.
   *
   * <p>Grey and RGB images with 8 or 16 bits per sample are read from the raster, not through
   * {@link BufferedImage#getRGB}, because AWT treats a grey image as linear and converts it to
   * sRGB, which PIL does not. So: 8-bit grey {@code v} becomes {@code (v, v, v)}; 16-bit RGB keeps
   * the high byte of each sample; 16-bit grey is clipped to 255, as PIL's conversion from its
   * 32-bit integer mode does. Alpha is dropped without compositing. Palette and packed images
   * (palette PNG and GIF, 1-bit, BMP) go through {@code getRGB}, which is exact for them.
   *
   * @param img the source image
   * @return the RGB image
   */
  public static Image fromBufferedImage(BufferedImage img) {
    byte[] fromRaster = rasterRgb(img);
    if (fromRaster != null) {
      return new Image(img.getWidth(), img.getHeight(), fromRaster);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        out[i] = (byte) (p >> 16);
        out[i + 1] = (byte) (p >> 8);
        out[i + 2] = (byte) p;
      }
    }
    return new Image(w, h, out);
  }

  /**
   * Reads grey or sRGB component images (8 or 16 bits, with or without straight alpha) straight
   * from the raster; returns null for every other layout.
   */
  private static byte[] rasterRgb(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    if (!(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
      return null;
    }
    Raster raster = img.getRaster();
    int colours = cm.getNumColorComponents();
    ColorSpace cs = cm.getColorSpace();
    boolean grey = colours == 1 && cs.getType() == ColorSpace.TYPE_GRAY;
    boolean rgb = colours == 3 && cs.isCS_sRGB();
    int transfer = raster.getTransferType();
    int bits = transfer == DataBuffer.TYPE_BYTE ? 8 : transfer == DataBuffer.TYPE_USHORT ? 16 : 0;
    if (!(grey || rgb) || bits == 0) {
      return null;
    }
    for (int c = 0; c < cm.getNumComponents(); c++) {
      if (cm.getComponentSize(c) != bits) {
        return null;
      }
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int bands = raster.getNumBands();
    byte[] out = new byte[w * h * 3];
    int[] row = new int[w * bands];
    for (int y = 0; y < h; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        int s = x * bands;
        if (grey) {
          // PIL opens 16-bit grey as 32-bit integers and clips them to 0..255 when converting.
          byte v = (byte) (bits == 8 ? row[s] : Math.min(row[s], 255));
          out[i] = v;
          out[i + 1] = v;
          out[i + 2] = v;
        } else {
          // PIL unpacks 16-bit RGB by keeping each sample's high byte.
          int shift = bits - 8;
          out[i] = (byte) (row[s] >>> shift);
          out[i + 1] = (byte) (row[s + 1] >>> shift);
          out[i + 2] = (byte) (row[s + 2] >>> shift);
        }
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other
        && width == other.width
        && height == other.height
        && Arrays.equals(rgb, other.rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + "]";
  }
}
