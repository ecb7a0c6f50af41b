package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;

/**
 * A judge that gives every question the same probabilities: the "always yes" and "always no"
 * baselines a real judge must beat.
 *
 * <pre>{@code
 * PolarJudge yes = ConstantJudge.alwaysYes(); // pYes 0.9, pNo 0.1 for everything
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ConstantJudge implements PolarJudge {
  private final double pYes;
  private final double pNo;

  private ConstantJudge(double pYes, double pNo) {
    ScriptedJudge.Answer.of(pYes, pNo); // validates
    this.pYes = pYes;
    this.pNo = pNo;
  }

  /**
   * Returns a judge that always answers yes (pYes 0.9, pNo 0.1).
   *
   * @return the judge
   */
  public static ConstantJudge alwaysYes() {
    return new ConstantJudge(0.9, 0.1);
  }

  /**
   * Returns a judge that always answers no (pYes 0.1, pNo 0.9).
   *
   * @return the judge
   */
  public static ConstantJudge alwaysNo() {
    return new ConstantJudge(0.1, 0.9);
  }

  /**
   * Returns a judge that always gives the same probabilities; abstains when they sum below {@link
   * ScriptedJudge#DEFAULT_ABSTAIN_BELOW}.
   *
   * @param pYes probability of yes
   * @param pNo probability of no
   * @return the judge
   * @throws org.rlaifv.InvalidInputException when the probabilities are invalid
   */
  public static ConstantJudge of(double pYes, double pNo) {
    return new ConstantJudge(pYes, pNo);
  }

  /**
   * Gives every question the constant verdict.
   *
   * @param image the image; must not be null
   * @param questions the questions; no nulls
   * @return one verdict per question
   * @throws NullPointerException when the image, list or a question is null
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(questions, "questions");
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    for (int i = 0; i < questions.size(); i++) {
      PolarQuestion q = Objects.requireNonNull(questions.get(i), "question " + i);
      out.add(ClaimVerdict.of(q, pYes, pNo, ScriptedJudge.DEFAULT_ABSTAIN_BELOW));
    }
    return out;
  }
}
