package org.rlaifv.core.shapes;

import java.util.Objects;
import org.rlaifv.InvalidInputException;

/**
 * One object of a scene: a shape in a colour in a grid cell, with its exact size and position
 * inside the cell.
 *
 * <p>{@code size} is the shape's extent as a fraction of the cell's side; {@code offsetX} and
 * {@code offsetY} move its centre from the cell's centre, also as fractions of the side. The shape
 * always stays inside its cell: {@code size / 2 + |offset| <= 1 / 2}.
 *
 * @param shape the shape
 * @param colour the colour
 * @param cell the grid cell
 * @param size extent as a fraction of the cell side, in (0, 1]
 * @param offsetX horizontal shift of the centre as a fraction of the cell side
 * @param offsetY vertical shift of the centre as a fraction of the cell side
 */
public record SceneObject(
    Shape shape, Colour colour, Cell cell, double size, double offsetX, double offsetY) {

  /** The size {@link #of(Shape, Colour, Cell)} uses. */
  public static final double DEFAULT_SIZE = 0.7;

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the size is outside (0, 1] or the shape would leave its cell
   */
  public SceneObject {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(cell, "cell");
    if (!(size > 0 && size <= 1)) {
      throw new InvalidInputException("object size must be in (0, 1], got " + size);
    }
    double room = (1 - size) / 2 + 1e-9;
    if (!(Math.abs(offsetX) <= room && Math.abs(offsetY) <= room)) {
      throw new InvalidInputException(
          "object of size "
              + size
              + " with offset ("
              + offsetX
              + ", "
              + offsetY
              + ") would leave its cell "
              + cell.phrase());
    }
  }

  /**
   * Creates a centred object of {@link #DEFAULT_SIZE}.
   *
   * @param shape the shape
   * @param colour the colour
   * @param cell the cell
   * @return the object
   */
  public static SceneObject of(Shape shape, Colour colour, Cell cell) {
    return new SceneObject(shape, colour, cell, DEFAULT_SIZE, 0, 0);
  }

  /**
   * Returns the words naming the object without its place ("red circle").
   *
   * @return colour word and shape word
   */
  public String name() {
    return colour.word() + " " + shape.word();
  }
}
