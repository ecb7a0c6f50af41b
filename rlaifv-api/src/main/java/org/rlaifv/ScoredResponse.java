package org.rlaifv;

import java.util.List;
import java.util.Objects;

/**
 * A response with the labeler's judgement: either its verdicts on the response's claims (RLAIF-V's
 * divide and conquer, scored minus the number of rejected claims, -n_rej) or one {@link
 * HolisticVerdict} on the whole response (scored by that verdict's score). Never both.
 *
 * <p>A response with no claims, or whose every verdict abstained, or whose holistic verdict
 * abstained, has no score: {@link #scored()} is false and pair selectors never pair it. {@link
 * #value()} is the score pairs are formed on in either case; {@link #score()} is -n_rej and exists
 * only for claim verdicts.
 *
 * @param response the response
 * @param verdicts one verdict per claim, in claim order; empty when judged holistically
 * @param holistic the verdict on the whole response: empty, or exactly one (then {@code verdicts}
 *     is empty)
 */
public record ScoredResponse(Response response, List<ClaimVerdict> verdicts,
    List<HolisticVerdict> holistic) {

  /**
   * Copies the lists and checks that the response is judged one way only.
   *
   * @throws InvalidInputException when there is more than one holistic verdict, or holistic and
   *     claim verdicts together
   */
  public ScoredResponse {
    Objects.requireNonNull(response, "response");
    String what = " of response " + response.index() + " to prompt " + response.promptId();
    verdicts = Checks.copy(verdicts, "verdicts" + what);
    holistic = Checks.copy(holistic, "holistic verdicts" + what);
    if (holistic.size() > 1) {
      throw new InvalidInputException(
          holistic.size() + " holistic verdicts" + what + "; a response has at most one");
    }
    if (!holistic.isEmpty() && !verdicts.isEmpty()) {
      throw new InvalidInputException("response " + response.index() + " to prompt "
          + response.promptId() + " has both claim verdicts and a holistic verdict; it is scored "
          + "one way or the other");
    }
  }

  /**
   * Creates a response judged claim by claim (RLAIF-V's divide and conquer).
   *
   * @param response the response
   * @param verdicts one verdict per claim, in claim order
   */
  public ScoredResponse(Response response, List<ClaimVerdict> verdicts) {
    this(response, verdicts, List.of());
  }

  /**
   * Creates a response judged as a whole.
   *
   * @param response the response
   * @param verdict the labeler's verdict on the whole response
   * @return the scored response
   */
  public static ScoredResponse holistic(Response response, HolisticVerdict verdict) {
    return new ScoredResponse(response, List.of(), List.of(verdict));
  }

  /**
   * Returns whether the response was judged as a whole rather than claim by claim.
   *
   * @return true when it carries a holistic verdict
   */
  public boolean isHolistic() {
    return !holistic.isEmpty();
  }

  /**
   * Returns whether the response carries a score: a holistic verdict that did not abstain, or at
   * least one claim verdict that did not.
   *
   * @return true when scored
   */
  public boolean scored() {
    if (isHolistic()) {
      return !holistic.get(0).abstained();
    }
    for (ClaimVerdict v : verdicts) {
      if (!v.abstained()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the number of claims that count as rejected (0 for a holistic judgement).
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
    for (HolisticVerdict v : holistic) {
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
   * @throws IllegalStateException when the response is not {@linkplain #scored() scored} or was
   *     judged holistically (use {@link #value()})
   */
  public int score() {
    if (isHolistic()) {
      throw new IllegalStateException("response " + response.index() + " to prompt "
          + response.promptId() + " was judged as a whole; its score is value(), not -n_rej");
    }
    if (!scored()) {
      throw new IllegalStateException(
          "response " + response.index() + " to prompt " + response.promptId() + " has no score");
    }
    return -rejectedCount();
  }

  /**
   * Returns the score pairs are formed on: the holistic verdict's score, or -n_rej.
   *
   * @return the score; higher is better
   * @throws IllegalStateException when the response is not {@linkplain #scored() scored}
   */
  public double value() {
    if (!scored()) {
      throw new IllegalStateException(
          "response " + response.index() + " to prompt " + response.promptId() + " has no score");
    }
    return isHolistic() ? holistic.get(0).score() : -rejectedCount();
  }
}
