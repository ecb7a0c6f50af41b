package org.rlaifv;

import java.util.List;

/**
 * The labeler: answers polar questions about an image with probabilities of yes and no.
 *
 * <p>One call takes every question about one image, so a backend can encode the image and the
 * prompt prefix once and evaluate all questions as a batch. Results are in question order. An
 * empty question list gives an empty result. Judges are deterministic: the same image and
 * question give the same probabilities, alone or in any batch. Backends holding native memory
 * release it in {@link #close()}.
 */
@FunctionalInterface
public interface PolarJudge extends AutoCloseable {

  /**
   * Answers every question about one image.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   */
  List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions);

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the judge's class name; judges backed by a
   *     model override it to name the checkpoint, a digest of its weights and their settings
   *     (abstention threshold)
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
