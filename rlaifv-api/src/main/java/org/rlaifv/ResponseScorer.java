package org.rlaifv;

import java.util.List;

/**
 * Scores responses: divide (claims), conquer (polar questions answered by a judge), combine
 * (-n_rej). See {@code org.rlaifv.core.DivideAndConquerScorer} for the RLAIF-V implementation.
 *
 * <p>A scorer may own resources (a judge's model it opened); {@link #close()} releases them, and
 * the default does nothing. Whoever made a scorer closes it, best with try-with-resources:
 *
 * <pre>{@code
 * try (ResponseScorer scorer = scorerFactory.apply(policy)) {
 *   List<ScoredResponse> scored = scorer.scoreAll(prompt, responses);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ResponseScorer extends AutoCloseable {

  /**
   * Scores all candidates of one prompt. Implementations judge every question about the prompt's
   * image in one judge call.
   *
   * @param prompt the prompt
   * @param responses its candidates
   * @return one scored response per response, in order
   */
  List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses);

  /**
   * Scores one response.
   *
   * @param prompt the prompt
   * @param response the response
   * @return the scored response
   */
  default ScoredResponse score(Prompt prompt, Response response) {
    return scoreAll(prompt, List.of(response)).get(0);
  }

  /**
   * Describes this scorer for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a scorer whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}, the scorer's class name; scorers made of
   *     parts override it to list them (splitter, questioner, judge)
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }

  /** Releases what the scorer owns; the default does nothing and throws nothing. */
  @Override
  default void close() {}
}
