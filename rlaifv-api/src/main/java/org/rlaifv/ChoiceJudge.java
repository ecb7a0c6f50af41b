package org.rlaifv;

import java.util.List;

/**
 * A labeler asked to pick one of a few answer words (a rating, a multiple choice): returns the
 * probability of each option at the first answer position. The counterpart of {@link PolarJudge}
 * for questions whose answers are not yes and no.
 *
 * <p>One call takes every question about one image, so a backend can encode the image once.
 * Results are in question order; an empty list gives an empty result. Judges are deterministic.
 * Backends holding native memory release it in {@link #close()}.
 *
 * <pre>{@code
 * ChoiceQuestion q = new ChoiceQuestion(
 *     "how good is this answer? Please answer one, two or three.", List.of("one", "two", "three"));
 * ChoiceVerdict v = judge.judge(image, List.of(q)).get(0);
 * }</pre>
 */
@FunctionalInterface
public interface ChoiceJudge extends AutoCloseable {

  /**
   * Answers every question about one image.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   */
  List<ChoiceVerdict> judge(Image image, List<ChoiceQuestion> questions);

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * Describes this role for a run's identity (see {@link Provenance}).
   *
   * @return by default {@link Provenance#of(Object)}: the judge's class name
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
