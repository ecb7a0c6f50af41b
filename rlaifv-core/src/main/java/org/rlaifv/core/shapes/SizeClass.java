package org.rlaifv.core.shapes;

import java.util.Locale;
import java.util.Optional;

/**
 * The size word of the hard world's captions: an object is small or large, by its extent in its
 * cell.
 *
 * <p>The hard world's generator ({@link SceneGenerator.Builder#sizeClasses(boolean)}) draws sizes
 * from two separated ranges, so the class of every object is unambiguous in the image.
 */
public enum SizeClass {
  /** Extent below {@link #THRESHOLD} of the cell side. */
  SMALL("small"),
  /** Extent at least {@link #THRESHOLD} of the cell side. */
  LARGE("large");

  /** The extent, as a fraction of the cell side, from which an object is large. */
  public static final double THRESHOLD = 0.65;

  private final String word;

  SizeClass(String word) {
    this.word = word;
  }

  /**
   * Returns the caption word ("small").
   *
   * @return the word, lower case
   */
  public String word() {
    return word;
  }

  /**
   * Returns the class of an object.
   *
   * @param object the object
   * @return small below {@link #THRESHOLD}, else large
   */
  public static SizeClass of(SceneObject object) {
    return object.size() < THRESHOLD ? SMALL : LARGE;
  }

  /**
   * Returns the other class.
   *
   * @return large for small and small for large
   */
  public SizeClass other() {
    return this == SMALL ? LARGE : SMALL;
  }

  /**
   * Looks a class up by its word, ignoring case.
   *
   * @param word the word
   * @return the class, or empty when the word names none
   */
  public static Optional<SizeClass> fromWord(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (SizeClass s : values()) {
      if (s.word.equals(w)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
