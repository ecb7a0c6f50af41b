package org.rlaifv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;

/** A judge answering from a table of question text to (pYes, pNo); records every call. */
final class FakeJudge implements PolarJudge {
  final List<List<PolarQuestion>> calls = new ArrayList<>();
  private final Function<String, double[]> answers;
  private final double abstainBelow;

  FakeJudge(Function<String, double[]> answers, double abstainBelow) {
    this.answers = answers;
    this.abstainBelow = abstainBelow;
  }

  static FakeJudge table(Map<String, double[]> table) {
    return new FakeJudge(q -> table.getOrDefault(q, new double[] {0.9, 0.05}), 0.1);
  }

  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    calls.add(List.copyOf(questions));
    List<ClaimVerdict> out = new ArrayList<>();
    for (PolarQuestion q : questions) {
      double[] p = answers.apply(q.question());
      out.add(ClaimVerdict.of(q, p[0], p[1], abstainBelow));
    }
    return out;
  }
}
