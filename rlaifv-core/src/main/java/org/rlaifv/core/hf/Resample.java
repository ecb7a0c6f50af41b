package org.rlaifv.core.hf;

import org.rlaifv.InvalidInputException;

/**
 * PIL's resampling filters, with the integer codes of {@code PIL.Image.Resampling} that
 * transformers stores as {@code "resample"} in {@code preprocessor_config.json}.
 */
public enum Resample {
  /** Nearest neighbour (code 0). */
  NEAREST(0),
  /** Lanczos, a = 3 (code 1). */
  LANCZOS(1),
  /** Bilinear (triangle) filter (code 2). */
  BILINEAR(2),
  /** Bicubic convolution with a = -0.5 (code 3). */
  BICUBIC(3),
  /** Box filter (code 4). */
  BOX(4),
  /** Hamming-windowed sinc (code 5). */
  HAMMING(5);

  private final int pilCode;

  Resample(int pilCode) {
    this.pilCode = pilCode;
  }

  /**
   * Returns PIL's integer code for this filter.
   *
   * @return the value of {@code PIL.Image.Resampling}
   */
  public int pilCode() {
    return pilCode;
  }

  /**
   * Returns the filter with PIL's integer code.
   *
   * @param code a value of {@code PIL.Image.Resampling}, 0 to 5
   * @return the filter
   * @throws InvalidInputException when no filter has that code
   */
  public static Resample fromPilCode(int code) {
    for (Resample r : values()) {
      if (r.pilCode == code) {
        return r;
      }
    }
    throw new InvalidInputException(
        "unknown PIL resampling filter " + code + " (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic,"
            + " 4 box, 5 hamming)");
  }
}
