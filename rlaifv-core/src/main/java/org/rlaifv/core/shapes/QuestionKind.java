package org.rlaifv.core.shapes;

/**
 * What a polar question of the {@link PolarCorpus} tests, and so its true answer.
 *
 * <p>The hard negatives ({@link #WRONG_COLOUR}, {@link #WRONG_SHAPE}, {@link #PARTNER}, {@link
 * #WRONG_PLACE}) differ from a true statement in one attribute, or name the object the flawed
 * captions hallucinate.
 */
public enum QuestionKind {
  /** A present object, without its place ("is there a red circle?"); answer yes. */
  PRESENT(true),
  /** A present object at its place ("is there a red circle on the top left?"); answer yes. */
  PRESENT_AT(true),
  /** A colour and shape absent from the scene, drawn at random; answer no. */
  ABSENT(false),
  /** A present object's shape in a colour absent with that shape; answer no. */
  WRONG_COLOUR(false),
  /** A present object's colour with a shape absent in that colour; answer no. */
  WRONG_SHAPE(false),
  /** The co-occurring partner of a present trigger object, absent from the scene; answer no. */
  PARTNER(false),
  /** A present object placed in a cell that does not hold it; answer no. */
  WRONG_PLACE(false),
  /** Hard world: a present object with the other size word; answer no. */
  WRONG_SIZE(false),
  /** Hard world: the true number of objects ("are there three objects?"); answer yes. */
  COUNT(true),
  /** Hard world: a wrong number of objects; answer no. */
  WRONG_COUNT(false),
  /** Hard world: a relation that holds between two present objects; answer yes. */
  RELATION(true),
  /** Hard world: a relation that does not hold between two present objects; answer no. */
  WRONG_RELATION(false);

  private final boolean answer;

  QuestionKind(boolean answer) {
    this.answer = answer;
  }

  /**
   * Returns the true answer of questions of this kind.
   *
   * @return true for yes
   */
  public boolean answer() {
    return answer;
  }

  /**
   * Returns whether only the hard world ({@link HardCorpus}) asks questions of this kind.
   *
   * @return true for wrong size, count, wrong count, relation and wrong relation
   */
  public boolean hardWorldOnly() {
    return ordinal() > WRONG_PLACE.ordinal();
  }

  /**
   * Returns whether this kind is one of the easy world's hard negatives.
   *
   * @return true for wrong colour, wrong shape, partner and wrong place
   */
  public boolean hard() {
    return this == WRONG_COLOUR || this == WRONG_SHAPE || this == PARTNER || this == WRONG_PLACE;
  }
}
