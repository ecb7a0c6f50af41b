package org.rlaifv.core.shapes;

import java.util.Locale;
import java.util.Optional;

/**
 * A cell of the scene's 2x2 grid, named as the captions name it ("top left").
 *
 * <p>The declaration order is reading order (top left, top right, bottom left, bottom right), the
 * canonical order of objects in clean captions.
 */
public enum Cell {
  /** Row 0, column 0. */
  TOP_LEFT(0, 0),
  /** Row 0, column 1. */
  TOP_RIGHT(0, 1),
  /** Row 1, column 0. */
  BOTTOM_LEFT(1, 0),
  /** Row 1, column 1. */
  BOTTOM_RIGHT(1, 1);

  private final int row;
  private final int column;

  Cell(int row, int column) {
    this.row = row;
    this.column = column;
  }

  /**
   * Returns the grid row, 0 for the top row.
   *
   * @return 0 or 1
   */
  public int row() {
    return row;
  }

  /**
   * Returns the grid column, 0 for the left column.
   *
   * @return 0 or 1
   */
  public int column() {
    return column;
  }

  /**
   * Returns the words naming this cell in captions ("top left").
   *
   * @return the two-word phrase, lower case
   */
  public String phrase() {
    return (row == 0 ? "top" : "bottom") + " " + (column == 0 ? "left" : "right");
  }

  /**
   * Returns the cell with the given row and column.
   *
   * @param row 0 (top) or 1 (bottom)
   * @param column 0 (left) or 1 (right)
   * @return the cell
   * @throws IllegalArgumentException when row or column is not 0 or 1
   */
  public static Cell at(int row, int column) {
    for (Cell c : values()) {
      if (c.row == row && c.column == column) {
        return c;
      }
    }
    throw new IllegalArgumentException("no cell at row " + row + ", column " + column);
  }

  /**
   * Looks a cell up by its phrase ("top left"), ignoring case and extra spaces.
   *
   * @param phrase the phrase
   * @return the cell, or empty when the phrase names none
   */
  public static Optional<Cell> fromPhrase(String phrase) {
    String p = phrase.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    for (Cell c : values()) {
      if (c.phrase().equals(p)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
