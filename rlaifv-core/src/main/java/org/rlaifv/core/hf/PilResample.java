package org.rlaifv.core.hf;

import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * PIL's {@code Image.resize(size, resample)} for 8-bit RGB images, reproducing Pillow's C code
 * ({@code libImaging/Resample.c}, and {@code Geometry.c} for nearest) bit for bit.
 *
 * <p>The convolution filters run as two separable passes, horizontal first (only over the source
 * rows the vertical pass reads), then vertical; a pass is skipped when its axis keeps its size.
 * When shrinking, the filter support is stretched by the scale factor (antialiasing). Each output
 * sample's weights are computed in double precision, normalised to sum to 1, and converted to
 * fixed point with 22 fractional bits; sums start at one half and are clipped to 0..255 after
 * each pass. {@link Resample#NEAREST} picks the source pixel under each output pixel's centre,
 * stepping by the scale in floating point as Pillow does.
 *
 * <pre>{@code
 * Image small = PilResample.resize(image, 224, 168, Resample.BICUBIC);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PilResample {

  /** Fractional bits of the fixed-point weights: 32 - 8 (result) - 2 (overshoot and sign). */
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PilResample() {}

  /**
   * Resizes an RGB image as {@code PIL.Image.resize((width, height), resample=filter)} does.
   *
   * @param src the source image
   * @param width target width, at least 1
   * @param height target height, at least 1
   * @param filter the resampling filter
   * @return the resized image ({@code src} itself when the size is unchanged, where PIL returns a
   *     copy)
   * @throws InvalidInputException when a target dimension is not positive
   */
  public static Image resize(Image src, int width, int height, Resample filter) {
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException(
          "resize target must be positive, got " + width + "x" + height);
    }
    if (width == src.width() && height == src.height()) {
      return src;
    }
    byte[] in = src.rgb();
    byte[] out =
        filter == Resample.NEAREST
            ? nearest(in, src.width(), src.height(), width, height)
            : convolve(in, src.width(), src.height(), width, height, filter);
    return new Image(width, height, out);
  }

  // ---------------------------------------------------------------------------------------------
  // Nearest neighbour: Geometry.c, ImagingScaleAffine with a = [inW / w, 0, 0, 0, inH / h, 0].

  private static byte[] nearest(byte[] in, int inW, int inH, int outW, int outH) {
    double ax = (double) inW / outW;
    double ay = (double) inH / outH;
    int[] xin = new int[outW];
    double xo = ax * 0.5;
    for (int x = 0; x < outW; x++) {
      int xi = coord(xo);
      xin[x] = xi >= 0 && xi < inW ? xi : -1;
      xo += ax;
    }
    byte[] out = new byte[outW * outH * 3];
    double yo = ay * 0.5;
    for (int y = 0; y < outH; y++) {
      int yi = coord(yo);
      if (yi >= 0 && yi < inH) {
        for (int x = 0; x < outW; x++) {
          if (xin[x] >= 0) {
            System.arraycopy(in, (yi * inW + xin[x]) * 3, out, (y * outW + x) * 3, 3);
          }
        }
      }
      yo += ay;
    }
    return out;
  }

  private static int coord(double v) {
    return v < 0.0 ? -1 : (int) v;
  }

  // ---------------------------------------------------------------------------------------------
  // Convolution: Resample.c, ImagingResampleInner with the whole image as the box.

  private static byte[] convolve(
      byte[] in, int inW, int inH, int outW, int outH, Resample filter) {
    boolean horizontal = outW != inW;
    boolean vertical = outH != inH;
    Coefficients vert = Coefficients.compute(inH, outH, filter);
    // Rows of the source that the vertical pass reads.
    int firstRow = vert.bounds[0];
    int lastRow = vert.bounds[outH * 2 - 2] + vert.bounds[outH * 2 - 1];

    byte[] current = in;
    int curW = inW;
    if (horizontal) {
      Coefficients horiz = Coefficients.compute(inW, outW, filter);
      for (int i = 0; i < outH; i++) {
        vert.bounds[i * 2] -= firstRow;
      }
      current = horizontalPass(in, inW, firstRow, lastRow - firstRow, outW, horiz);
      curW = outW;
    }
    if (vertical) {
      current = verticalPass(current, curW, outH, vert);
    }
    return current;
  }

  private static byte[] horizontalPass(
      byte[] in, int inW, int rowOffset, int rows, int outW, Coefficients c) {
    byte[] out = new byte[outW * rows * 3];
    int[] k = c.weights;
    for (int yy = 0; yy < rows; yy++) {
      int rowStart = (yy + rowOffset) * inW;
      for (int xx = 0; xx < outW; xx++) {
        int xmin = c.bounds[xx * 2];
        int count = c.bounds[xx * 2 + 1];
        int kOff = xx * c.ksize;
        int ss0 = HALF;
        int ss1 = HALF;
        int ss2 = HALF;
        for (int x = 0; x < count; x++) {
          int p = (rowStart + x + xmin) * 3;
          int w = k[kOff + x];
          ss0 += (in[p] & 0xff) * w;
          ss1 += (in[p + 1] & 0xff) * w;
          ss2 += (in[p + 2] & 0xff) * w;
        }
        int o = (yy * outW + xx) * 3;
        out[o] = clip8(ss0);
        out[o + 1] = clip8(ss1);
        out[o + 2] = clip8(ss2);
      }
    }
    return out;
  }

  private static byte[] verticalPass(byte[] in, int width, int outH, Coefficients c) {
    byte[] out = new byte[width * outH * 3];
    int[] k = c.weights;
    for (int yy = 0; yy < outH; yy++) {
      int ymin = c.bounds[yy * 2];
      int count = c.bounds[yy * 2 + 1];
      int kOff = yy * c.ksize;
      for (int xx = 0; xx < width; xx++) {
        int ss0 = HALF;
        int ss1 = HALF;
        int ss2 = HALF;
        for (int y = 0; y < count; y++) {
          int p = ((y + ymin) * width + xx) * 3;
          int w = k[kOff + y];
          ss0 += (in[p] & 0xff) * w;
          ss1 += (in[p + 1] & 0xff) * w;
          ss2 += (in[p + 2] & 0xff) * w;
        }
        int o = (yy * width + xx) * 3;
        out[o] = clip8(ss0);
        out[o + 1] = clip8(ss1);
        out[o + 2] = clip8(ss2);
      }
    }
    return out;
  }

  /** Drops the fractional bits (arithmetic shift, as C does on Pillow's targets) and clips. */
  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** One axis' weights: for each output index, the first input index, the count, the weights. */
  private static final class Coefficients {
    final int ksize;
    final int[] bounds;
    final int[] weights;

    private Coefficients(int ksize, int[] bounds, int[] weights) {
      this.ksize = ksize;
      this.bounds = bounds;
      this.weights = weights;
    }

    static Coefficients compute(int inSize, int outSize, Resample filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = support(filter) * filterScale;
      int ksize = (int) Math.ceil(support) * 2 + 1;
      double[] kk = new double[outSize * ksize];
      int[] bounds = new int[outSize * 2];
      double ss = 1.0 / filterScale;
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ww = 0.0;
        int xmin = (int) (center - support + 0.5);
        if (xmin < 0) {
          xmin = 0;
        }
        int xmax = (int) (center + support + 0.5);
        if (xmax > inSize) {
          xmax = inSize;
        }
        xmax -= xmin;
        int off = xx * ksize;
        for (int x = 0; x < xmax; x++) {
          double w = weight(filter, (x + xmin - center + 0.5) * ss);
          kk[off + x] = w;
          ww += w;
        }
        if (ww != 0.0) {
          for (int x = 0; x < xmax; x++) {
            kk[off + x] /= ww;
          }
        }
        bounds[xx * 2] = xmin;
        bounds[xx * 2 + 1] = xmax;
      }
      int[] fixed = new int[kk.length];
      for (int i = 0; i < kk.length; i++) {
        double scaled = kk[i] * (1 << PRECISION_BITS);
        fixed[i] = kk[i] < 0 ? (int) (-0.5 + scaled) : (int) (0.5 + scaled);
      }
      return new Coefficients(ksize, bounds, fixed);
    }
  }

  private static double support(Resample filter) {
    return switch (filter) {
      case BOX -> 0.5;
      case BILINEAR, HAMMING -> 1.0;
      case BICUBIC -> 2.0;
      case LANCZOS -> 3.0;
      case NEAREST -> throw new IllegalArgumentException("nearest has no convolution kernel");
    };
  }

  private static double weight(Resample filter, double x) {
    switch (filter) {
      case BOX:
        return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
      case BILINEAR:
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
      case HAMMING:
        x = Math.abs(x);
        if (x == 0.0) {
          return 1.0;
        }
        if (x >= 1.0) {
          return 0.0;
        }
        x = x * Math.PI;
        // Pillow writes the window's constants as C floats, widened to double here.
        return StrictMath.sin(x) / x * ((double) 0.54f + (double) 0.46f * StrictMath.cos(x));
      case BICUBIC:
        return bicubic(Math.abs(x));
      case LANCZOS:
        return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
      default:
        throw new IllegalArgumentException("nearest has no convolution kernel");
    }
  }

  /** Keys' cubic convolution with a = -0.5, as Pillow writes it. */
  private static double bicubic(double x) {
    final double a = -0.5;
    if (x < 1.0) {
      return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0.0;
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    x = x * Math.PI;
    return StrictMath.sin(x) / x;
  }
}
