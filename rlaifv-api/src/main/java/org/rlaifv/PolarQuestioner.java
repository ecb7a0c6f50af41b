package org.rlaifv;

import java.util.List;

/**
 * Rewrites claims as yes/no questions without changing tense, adding content or dropping
 * negation.
 *
 * <p>Takes all claims of one response at once, as the reference's prompted questioner does.
 * Implementations return one question per claim, in order; a claim that cannot be rewritten is
 * left out of the result (and so not judged).
 */
@FunctionalInterface
public interface PolarQuestioner {

  /**
   * Rewrites the claims of one response.
   *
   * @param claims the claims
   * @return the questions, each naming the claim it checks
   */
  List<PolarQuestion> questions(List<Claim> claims);

  /**
   * Rewrites one claim.
   *
   * @param claim the claim
   * @return the questions (one, or none when the claim cannot be rewritten)
   */
  default List<PolarQuestion> question(Claim claim) {
    return questions(List.of(claim));
  }

  /**
   * Rewrites the claims of several responses; implementations backed by a model may override to
   * batch.
   *
   * @param claimsPerResponse the claims of each response
   * @return one question list per response, in order
   */
  default List<List<PolarQuestion>> questionsAll(List<List<Claim>> claimsPerResponse) {
    return claimsPerResponse.stream().map(this::questions).toList();
  }

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the questioner's class name; model-backed
   *     questioners override it to name their generator and prompt
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
