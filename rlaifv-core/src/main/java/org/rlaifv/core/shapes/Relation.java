package org.rlaifv.core.shapes;

import java.util.Optional;

/**
 * A spatial relation between two objects of the hard world, as its captions state it ("the red
 * circle is left of the blue square").
 *
 * <p>Relations compare grid cells: left of and right of compare columns, above and below rows. Two
 * objects on a diagonal stand in one horizontal and one vertical relation.
 */
public enum Relation {
  /** The subject's column is left of the object's. */
  LEFT_OF("left of"),
  /** The subject's column is right of the object's. */
  RIGHT_OF("right of"),
  /** The subject's row is above the object's. */
  ABOVE("above"),
  /** The subject's row is below the object's. */
  BELOW("below");

  private final String phrase;

  Relation(String phrase) {
    this.phrase = phrase;
  }

  /**
   * Returns the words of the relation in captions ("left of").
   *
   * @return the phrase, lower case
   */
  public String phrase() {
    return phrase;
  }

  /**
   * Returns whether the relation holds between two cells.
   *
   * @param subject the subject's cell
   * @param object the object's cell
   * @return true when the subject stands in this relation to the object
   */
  public boolean holds(Cell subject, Cell object) {
    return switch (this) {
      case LEFT_OF -> subject.column() < object.column();
      case RIGHT_OF -> subject.column() > object.column();
      case ABOVE -> subject.row() < object.row();
      case BELOW -> subject.row() > object.row();
    };
  }

  /**
   * Returns the relation with subject and object swapped round (left of for right of).
   *
   * @return the converse relation
   */
  public Relation flipped() {
    return switch (this) {
      case LEFT_OF -> RIGHT_OF;
      case RIGHT_OF -> LEFT_OF;
      case ABOVE -> BELOW;
      case BELOW -> ABOVE;
    };
  }

  /**
   * Returns whether this relation compares columns.
   *
   * @return true for left of and right of
   */
  public boolean horizontal() {
    return this == LEFT_OF || this == RIGHT_OF;
  }

  /**
   * Returns the relation the captions state between two cells: horizontal when the columns differ
   * (also on a diagonal), else vertical.
   *
   * @param subject the subject's cell
   * @param object the object's cell
   * @return the relation, or empty when the cells are the same
   */
  public static Optional<Relation> between(Cell subject, Cell object) {
    if (subject.column() != object.column()) {
      return Optional.of(subject.column() < object.column() ? LEFT_OF : RIGHT_OF);
    }
    if (subject.row() != object.row()) {
      return Optional.of(subject.row() < object.row() ? ABOVE : BELOW);
    }
    return Optional.empty();
  }
}
