package org.rlaifv.core.shapes;

/**
 * The kinds of error the hard world's flawed captions teach a policy, each measured on its own by
 * {@link HardMetrics}.
 */
public enum ErrorKind {
  /** An object that co-occurs with a present one but is absent ("there is a red triangle ..."). */
  OBJECT("object"),
  /** A wrong number of objects ("there are four objects." of three). */
  COUNT("count"),
  /** A present object with the wrong colour or size ("large" of a small diamond). */
  ATTRIBUTE("attribute"),
  /** A wrong spatial relation between two present objects ("left of" for "right of"). */
  RELATION("relation");

  private final String id;

  ErrorKind(String id) {
    this.id = id;
  }

  /**
   * Returns the lower-case name used in reports ({@code "count"}).
   *
   * @return the id
   */
  public String id() {
    return id;
  }
}
