package org.rlaifv;

import java.util.List;

/**
 * Scores responses: divide (claims), conquer (polar questions answered by a judge), combine
 * (-n_rej). See {@code org.rlaifv.core.DivideAndConquerScorer} for the RLAIF-V implementation.
 */
@FunctionalInterface
public interface ResponseScorer {

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
}
