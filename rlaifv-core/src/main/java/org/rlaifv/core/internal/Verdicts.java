package org.rlaifv.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.BackendException;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;

/**
 * Turns a labeler's yes/no probabilities into verdicts, the same way for every backend's judge.
 */
public final class Verdicts {
  private Verdicts() {}

  /**
   * Builds one verdict per question from {@code probs[i] = {pYes, pNo}}. Each probability is
   * clamped to [0, 1] and a pair summing above 1 (rounding) is renormalised; a verdict abstains
   * when {@code pYes + pNo < abstainBelow}.
   *
   * @param questions the questions, in order
   * @param probs one {pYes, pNo} pair per question
   * @param abstainBelow the abstention threshold on the yes/no mass
   * @return the verdicts, in question order
   * @throws BackendException naming the question when a probability is not finite (a model whose
   *     weights are corrupt or diverged)
   */
  public static List<ClaimVerdict> fromProbabilities(
      List<PolarQuestion> questions, double[][] probs, double abstainBelow) {
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    for (int i = 0; i < questions.size(); i++) {
      if (!Double.isFinite(probs[i][0]) || !Double.isFinite(probs[i][1])) {
        throw new BackendException(
            "the labeler produced non-finite probabilities for '"
                + questions.get(i).question()
                + "'; its weights may be corrupt or diverged");
      }
      double yes = clamp(probs[i][0]);
      double no = clamp(probs[i][1]);
      double sum = yes + no;
      if (sum > 1) {
        yes /= sum;
        no /= sum;
      }
      out.add(ClaimVerdict.of(questions.get(i), yes, no, abstainBelow));
    }
    return out;
  }

  private static double clamp(double p) {
    return Math.max(0, Math.min(1, p));
  }
}
