package org.rlaifv.testkit;

import java.util.Objects;
import org.rlaifv.InvalidInputException;

/**
 * Two labelled questions about the same image where one negates the other ("is there a red
 * circle?" and "is there no red circle?"): a consistent judge answers them oppositely.
 *
 * @param question the question
 * @param negation its negation; same image, opposite gold answer
 */
public record NegationPair(LabelledQuestion question, LabelledQuestion negation) {

  /**
   * Checks that both items share the image and have opposite gold answers.
   *
   * @throws NullPointerException when an item is null
   * @throws InvalidInputException naming both items otherwise
   */
  public NegationPair {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(negation, "negation");
    if (!question.image().equals(negation.image())) {
      throw new InvalidInputException(
          "negation pair " + question.id() + " / " + negation.id() + " is about two different images");
    }
    if (question.gold() == negation.gold()) {
      throw new InvalidInputException(
          "negation pair " + question.id() + " / " + negation.id()
              + " must have opposite gold answers, both are " + question.goldAnswer());
    }
  }
}
