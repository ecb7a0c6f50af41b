package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.rlaifv.InvalidInputException;

/**
 * A scene: up to four objects on the 2x2 grid, at most one per cell; the ground truth of an image.
 *
 * <p>Objects are kept in reading order of their cells, the canonical order of clean captions.
 *
 * @param seed the seed the scene was generated from ({@link SceneGenerator#generate(long)}); the
 *     renderer also derives its noise from it
 * @param objects the objects, at most one per cell; stored sorted by cell
 */
public record Scene(long seed, List<SceneObject> objects) {

  /**
   * Validates and sorts the objects.
   *
   * @throws InvalidInputException when two objects share a cell or an object is null
   */
  public Scene {
    Objects.requireNonNull(objects, "objects");
    List<SceneObject> sorted = new ArrayList<>(objects.size());
    Set<Cell> used = EnumSet.noneOf(Cell.class);
    for (int i = 0; i < objects.size(); i++) {
      SceneObject o = objects.get(i);
      if (o == null) {
        throw new InvalidInputException("scene " + seed + " has a null object at index " + i);
      }
      if (!used.add(o.cell())) {
        throw new InvalidInputException(
            "scene " + seed + " has two objects on the " + o.cell().phrase());
      }
      sorted.add(o);
    }
    sorted.sort(Comparator.comparing(SceneObject::cell));
    objects = List.copyOf(sorted);
  }

  /**
   * Returns the object in a cell.
   *
   * @param cell the cell
   * @return the object there, or empty when the cell is empty
   */
  public Optional<SceneObject> objectAt(Cell cell) {
    for (SceneObject o : objects) {
      if (o.cell() == cell) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns whether some object has this colour and shape, anywhere.
   *
   * @param colour the colour
   * @param shape the shape
   * @return true when such an object is present
   */
  public boolean contains(Colour colour, Shape shape) {
    for (SceneObject o : objects) {
      if (o.colour() == colour && o.shape() == shape) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether the object in a cell has this colour and shape.
   *
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return true when that cell holds such an object
   */
  public boolean contains(Colour colour, Shape shape, Cell cell) {
    return objectAt(cell).filter(o -> o.colour() == colour && o.shape() == shape).isPresent();
  }

  /**
   * Returns the cells without an object, in reading order.
   *
   * @return the empty cells
   */
  public List<Cell> emptyCells() {
    List<Cell> out = new ArrayList<>();
    for (Cell c : Cell.values()) {
      if (objectAt(c).isEmpty()) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Returns a key naming the scene's composition (colour, shape and cell of each object, no
   * jitter); two scenes with the same key are described by the same clean caption.
   *
   * @return the composition key, e.g. {@code "red circle@top left;blue square@bottom right"}
   */
  public String compositionKey() {
    StringBuilder sb = new StringBuilder();
    for (SceneObject o : objects) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(o.name()).append('@').append(o.cell().phrase());
    }
    return sb.toString();
  }
}
