package org.rlaifv.core.shapes;

import java.util.Objects;
import java.util.Optional;

/**
 * An object mention parsed from free text: a shape, usually with a colour, sometimes with a place.
 *
 * @param colour the colour named, or empty when the text names only the shape
 * @param shape the shape named
 * @param cell the cell named, or empty when the text gives no place
 * @param negated whether the text denies the object ("there is no red circle")
 */
public record Mention(Optional<Colour> colour, Shape shape, Optional<Cell> cell, boolean negated) {

  /** Validates the fields. */
  public Mention {
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(cell, "cell");
  }

  /**
   * Creates an affirmative, placed mention.
   *
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return the mention
   */
  public static Mention of(Colour colour, Shape shape, Cell cell) {
    return new Mention(Optional.of(colour), shape, Optional.of(cell), false);
  }

  /**
   * Returns whether an object has the colour (when named) and shape of this mention; the place is
   * not compared.
   *
   * @param object the object
   * @return true when the object matches
   */
  public boolean matches(SceneObject object) {
    return object.shape() == shape && colour.map(c -> c == object.colour()).orElse(true);
  }

  /**
   * Returns whether the scene holds an object matching this mention's colour and shape, anywhere
   * (the CHAIR criterion; negation is not applied).
   *
   * @param scene the scene
   * @return true when such an object exists
   */
  public boolean existsIn(Scene scene) {
    for (SceneObject o : scene.objects()) {
      if (matches(o)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the mention's statement is true of the scene: a matching object exists (in the
   * named cell, when one is named), inverted for a negated mention.
   *
   * @param scene the scene
   * @return the truth of the statement
   */
  public boolean holdsIn(Scene scene) {
    boolean found = false;
    for (SceneObject o : scene.objects()) {
      if (matches(o) && cell.map(c -> c == o.cell()).orElse(true)) {
        found = true;
        break;
      }
    }
    return found != negated;
  }
}
