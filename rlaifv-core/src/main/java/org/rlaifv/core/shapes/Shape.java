package org.rlaifv.core.shapes;

import java.util.Locale;
import java.util.Optional;

/** A shape an object of a scene can have, with the word the captions use for it. */
public enum Shape {
  /** A filled disc. */
  CIRCLE("circle", "circles"),
  /** A filled axis-aligned square. */
  SQUARE("square", "squares"),
  /** A filled triangle pointing up. */
  TRIANGLE("triangle", "triangles"),
  /** A plus-shaped cross. */
  CROSS("cross", "crosses"),
  /** A filled square standing on a corner. */
  DIAMOND("diamond", "diamonds");

  private final String word;
  private final String plural;

  Shape(String word, String plural) {
    this.word = word;
    this.plural = plural;
  }

  /**
   * Returns the caption word for this shape ("circle").
   *
   * @return the singular word, lower case
   */
  public String word() {
    return word;
  }

  /**
   * Returns the plural word for this shape ("circles"), understood by the mention parser.
   *
   * @return the plural word, lower case
   */
  public String plural() {
    return plural;
  }

  /**
   * Looks a shape up by its singular or plural word, ignoring case.
   *
   * @param word the word
   * @return the shape, or empty when the word names none
   */
  public static Optional<Shape> fromWord(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (Shape s : values()) {
      if (s.word.equals(w) || s.plural.equals(w)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
