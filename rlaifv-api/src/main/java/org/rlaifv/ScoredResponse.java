package org.rlaifv;

import java.util.List;
import java.util.Objects;

/**
 * A response with the labeler's verdicts on its claims. Its {@linkplain #score() score} is minus
 * the number of rejected claims (RLAIF-V's -n_rej).
 *
 * <p>A response with no claims, or whose every verdict abstained, has no score: {@link #scored()}
 * is false and pair selectors never pair it.
 *
 * @param response the response
 * @param verdicts one verdict per claim, in claim order
 */
public record ScoredResponse(Response response, List<ClaimVerdict> verdicts) {

  /** Copies the verdict list. */
  public ScoredResponse {
    Objects.requireNonNull(response, "response");
    verdicts = Checks.copy(verdicts, "verdicts of response " + response.index()
        + " to prompt " + response.promptId());
  }

  /**
   * Returns whether the response carries a score (at least one non-abstained verdict).
   *
   * @return true when scored
   */
  public boolean scored() {
    for (ClaimVerdict v : verdicts) {
      if (!v.abstained()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the number of claims that count as rejected.
   *
   * @return n_rej
   */
  public int rejectedCount() {
    int n = 0;
    for (ClaimVerdict v : verdicts) {
      if (v.countsAsRejection()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Returns the number of abstained verdicts.
   *
   * @return the count
   */
  public int abstainedCount() {
    int n = 0;
    for (ClaimVerdict v : verdicts) {
      if (v.abstained()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Returns -n_rej.
   *
   * @return minus the number of rejected claims
   * @throws IllegalStateException when the response is not {@linkplain #scored() scored}
   */
  public int score() {
    if (!scored()) {
      throw new IllegalStateException(
          "response " + response.index() + " to prompt " + response.promptId() + " has no score");
    }
    return -rejectedCount();
  }
}
