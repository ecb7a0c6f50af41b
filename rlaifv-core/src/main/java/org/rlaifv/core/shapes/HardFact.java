package org.rlaifv.core.shapes;

import java.util.Objects;
import java.util.Optional;
import org.rlaifv.InvalidInputException;

/**
 * One atomic statement of the hard world's grammar, parsed from a caption sentence or a polar
 * question by {@link HardGrammar#parse(String)}: an object, a count or a relation.
 *
 * <p>{@link #holdsIn(Scene)} is the ground truth the oracle judge answers with; {@link HardMetrics}
 * also aligns object statements with the scene to tell an absent object from a wrong attribute.
 */
public sealed interface HardFact {

  /**
   * Returns whether the statement is true of a scene.
   *
   * @param scene the scene
   * @return the truth of the statement
   */
  boolean holdsIn(Scene scene);

  /**
   * A reference to an object by colour (when named) and shape, as relations name their objects.
   *
   * @param colour the colour, or empty
   * @param shape the shape
   */
  record Ref(Optional<Colour> colour, Shape shape) {
    /** Validates the fields. */
    public Ref {
      Objects.requireNonNull(colour, "colour");
      Objects.requireNonNull(shape, "shape");
    }

    /**
     * Returns whether an object has this reference's shape and (when named) colour.
     *
     * @param o the object
     * @return true on a match
     */
    public boolean matches(SceneObject o) {
      return o.shape() == shape && colour.map(c -> c == o.colour()).orElse(true);
    }
  }

  /**
   * "There is a small red circle on the top left": an object with optional size, colour and place.
   *
   * @param size the size named, or empty
   * @param colour the colour named, or empty
   * @param shape the shape
   * @param cell the cell named, or empty
   */
  record ObjectFact(Optional<SizeClass> size, Optional<Colour> colour, Shape shape,
      Optional<Cell> cell) implements HardFact {
    /** Validates the fields. */
    public ObjectFact {
      Objects.requireNonNull(size, "size");
      Objects.requireNonNull(colour, "colour");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(cell, "cell");
    }

    /**
     * Returns whether one object has every named attribute of the statement.
     *
     * @param o the object
     * @return true when shape, colour, size and cell all match (unnamed ones are not compared)
     */
    public boolean describes(SceneObject o) {
      return o.shape() == shape
          && colour.map(c -> c == o.colour()).orElse(true)
          && size.map(s -> s == SizeClass.of(o)).orElse(true)
          && cell.map(c -> c == o.cell()).orElse(true);
    }

    @Override
    public boolean holdsIn(Scene scene) {
      return scene.objects().stream().anyMatch(this::describes);
    }

    /**
     * Returns the object the statement is about, if the scene has one: the object in the named
     * cell when it has the named shape, else an object of the named colour and shape anywhere.
     * Without such an object the statement names an absent object (a hallucination).
     *
     * @param scene the scene
     * @return the matched object, or empty for an absent object
     */
    public Optional<SceneObject> match(Scene scene) {
      if (cell.isPresent()) {
        Optional<SceneObject> at = scene.objectAt(cell.get()).filter(o -> o.shape() == shape);
        if (at.isPresent()) {
          return at;
        }
      }
      if (colour.isEmpty()) {
        return scene.objects().stream().filter(o -> o.shape() == shape).findFirst();
      }
      return scene.objects().stream()
          .filter(o -> o.shape() == shape && o.colour() == colour.get())
          .findFirst();
    }
  }

  /**
   * "There are three objects": the number of objects in the image.
   *
   * @param count the number stated, at least 0
   */
  record CountFact(int count) implements HardFact {
    /**
     * Validates the count.
     *
     * @throws InvalidInputException when it is negative
     */
    public CountFact {
      if (count < 0) {
        throw new InvalidInputException("a stated count must be non-negative, got " + count);
      }
    }

    @Override
    public boolean holdsIn(Scene scene) {
      return scene.objects().size() == count;
    }
  }

  /**
   * "The red circle is left of the blue square": a relation between two objects.
   *
   * @param subject the first object named
   * @param relation the relation
   * @param object the second object named
   */
  record RelationFact(Ref subject, Relation relation, Ref object) implements HardFact {
    /** Validates the fields. */
    public RelationFact {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(relation, "relation");
      Objects.requireNonNull(object, "object");
    }

    /**
     * Returns true when two different objects match the references and stand in the relation; a
     * relation naming an absent object is false.
     */
    @Override
    public boolean holdsIn(Scene scene) {
      for (SceneObject a : scene.objects()) {
        if (!subject.matches(a)) {
          continue;
        }
        for (SceneObject b : scene.objects()) {
          if (a != b && object.matches(b) && relation.holds(a.cell(), b.cell())) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
