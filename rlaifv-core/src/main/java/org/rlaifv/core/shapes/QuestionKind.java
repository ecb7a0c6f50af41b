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
  WRONG_PLACE(false);

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
   * Returns whether this kind is one of the hard negatives.
   *
   * @return true for wrong colour, wrong shape, partner and wrong place
   */
  public boolean hard() {
    return this == WRONG_COLOUR || this == WRONG_SHAPE || this == PARTNER || this == WRONG_PLACE;
  }
}
