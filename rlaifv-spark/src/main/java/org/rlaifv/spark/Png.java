package org.rlaifv.spark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.rlaifv.Image;

/** Lossless PNG bytes of an image, for the image columns of the Parquet files. */
final class Png {
  private Png() {}

  static byte[] encode(Image image) {
    BufferedImage img =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        img.setRGB(x, y,
            (image.at(x, y, 0) << 16) | (image.at(x, y, 1) << 8) | image.at(x, y, 2));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an image as PNG", e);
    }
    return out.toByteArray();
  }
}
