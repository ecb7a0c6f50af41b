package org.rlaifv.core.shapes;

import java.util.Locale;
import java.util.Optional;

/**
 * A colour an object of a scene can have: the caption word and the RGB value the renderer paints.
 *
 * <p>The values are far apart from each other and from the dark background, so a colour is
 * identifiable from any single pixel of a shape.
 */
public enum Colour {
  /** Red. */
  RED("red", 220, 40, 40),
  /** Green. */
  GREEN("green", 40, 200, 60),
  /** Blue. */
  BLUE("blue", 50, 90, 235),
  /** Yellow. */
  YELLOW("yellow", 235, 215, 40),
  /** Purple. */
  PURPLE("purple", 165, 60, 205),
  /** White. */
  WHITE("white", 235, 235, 235);

  private final String word;
  private final int red;
  private final int green;
  private final int blue;

  Colour(String word, int red, int green, int blue) {
    this.word = word;
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /**
   * Returns the caption word for this colour ("red").
   *
   * @return the word, lower case
   */
  public String word() {
    return word;
  }

  /**
   * Returns one channel of the colour's RGB value.
   *
   * @param channel 0 red, 1 green, 2 blue
   * @return the value in 0..255
   * @throws IllegalArgumentException when the channel is not 0, 1 or 2
   */
  public int channel(int channel) {
    return switch (channel) {
      case 0 -> red;
      case 1 -> green;
      case 2 -> blue;
      default -> throw new IllegalArgumentException("channel must be 0, 1 or 2, got " + channel);
    };
  }

  /**
   * Looks a colour up by its word, ignoring case.
   *
   * @param word the word
   * @return the colour, or empty when the word names none
   */
  public static Optional<Colour> fromWord(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (Colour c : values()) {
      if (c.word.equals(w)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
