package org.rlaifv;

/**
 * Seed derivation. Every random choice in the SDK draws from a seed derived here, so the same
 * configuration gives the same results.
 */
public final class Seeds {
  private Seeds() {}

  /**
   * Mixes values into one well-spread 64-bit seed (SplitMix64 finaliser applied per value).
   *
   * @param values the values to mix, in order
   * @return the mixed seed
   */
  public static long mix(long... values) {
    long h = 0x9E3779B97F4A7C15L;
    for (long v : values) {
      h = splitMix(h ^ splitMix(v + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /**
   * Mixes a seed with a string (for example a prompt id), using the string's UTF-16 code units.
   *
   * @param seed the base seed
   * @param key the key to mix in
   * @return the mixed seed
   */
  public static long mix(long seed, String key) {
    long h = seed;
    for (int i = 0; i < key.length(); i++) {
      h = splitMix(h ^ key.charAt(i));
    }
    return mix(h, key.length());
  }

  private static long splitMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
