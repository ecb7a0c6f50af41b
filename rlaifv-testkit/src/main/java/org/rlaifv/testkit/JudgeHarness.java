package org.rlaifv.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;

/**
 * Measures a {@link PolarJudge} on a labelled set: accuracy, balanced accuracy, AUROC of pYes,
 * expected calibration error, abstain rate and consistency, with the most confident wrong answers.
 *
 * <p>Questions are grouped by image, and each image is one judge call, as in the alignment loop.
 * That call also carries the consistency probes: every question a second time (it must get the
 * same answer) and, for items not already in one of the set's {@linkplain NegationPair negation
 * pairs}, the negation the harness can build ("is there no X?" for "is there X?"; see {@link
 * #negate(String)}), which must get the opposite answer. Probes count only in the consistency
 * figures.
 *
 * <pre>{@code
 * LabelledSet set = LabelledSet.load(Path.of("src/test/resources/judge/labels.jsonl"));
 * JudgeReport report = JudgeHarness.defaults().evaluate(myJudge, set);
 * JudgeAssertions.assertThat(report)
 *     .accuracyAtLeast(0.9)
 *     .aurocAtLeast(0.95)
 *     .calibrationErrorAtMost(0.05)
 *     .abstainRateAtMost(0.02);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; the harness never closes the judge.
 */
public final class JudgeHarness {

  private static final Pattern NEGATABLE =
      Pattern.compile(
          "^\\s*(is|are)\\s+there\\s+(?!no\\b|not\\b)(?:(?:a|an|any|some)\\s+)?(.+?)\\s*\\?\\s*$",
          Pattern.CASE_INSENSITIVE);

  private final boolean repeatQuestions;
  private final boolean buildNegations;
  private final int worstItems;
  private final int calibrationBins;

  private JudgeHarness(Builder b) {
    this.repeatQuestions = b.repeatQuestions;
    this.buildNegations = b.buildNegations;
    this.worstItems = b.worstItems;
    this.calibrationBins = b.calibrationBins;
  }

  /**
   * Returns a harness with the defaults: repeat probes on, built negations on, 5 worst items, 10
   * calibration bins.
   *
   * @return the harness
   */
  public static JudgeHarness defaults() {
    return builder().build();
  }

  /**
   * Starts a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates a judge on a list of labelled questions (no negation pairs but the built ones).
   *
   * @param judge the judge; not closed
   * @param questions the labelled questions, at least one
   * @return the report
   * @throws InvalidInputException when the list is empty
   * @throws IllegalStateException naming the judge and the image when the judge returns the wrong
   *     number of verdicts, or a verdict that does not name the question asked at its position
   */
  public JudgeReport evaluate(PolarJudge judge, List<LabelledQuestion> questions) {
    return evaluate(judge, LabelledSet.of(questions));
  }

  /**
   * Evaluates a judge on a labelled set, one judge call per distinct image.
   *
   * @param judge the judge; not closed
   * @param set the labelled set, at least one question
   * @return the report
   * @throws InvalidInputException when the set is empty
   * @throws IllegalStateException naming the judge and the image when the judge returns the wrong
   *     number of verdicts, or a verdict that does not name the question asked at its position
   */
  public JudgeReport evaluate(PolarJudge judge, LabelledSet set) {
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(set, "set");
    List<LabelledQuestion> items = set.questions();
    if (items.isEmpty()) {
      throw new InvalidInputException("the labelled set is empty: nothing to evaluate");
    }
    Set<LabelledQuestion> paired = new HashSet<>();
    for (NegationPair p : set.negationPairs()) {
      paired.add(p.question());
      paired.add(p.negation());
    }
    Map<Image, List<Integer>> byImage = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      byImage.computeIfAbsent(items.get(i).image(), k -> new ArrayList<>()).add(i);
    }

    ClaimVerdict[] verdicts = new ClaimVerdict[items.size()];
    int repeatChecks = 0;
    int repeatSame = 0;
    int negationChecks = 0;
    int negationOpposite = 0;
    for (Map.Entry<Image, List<Integer>> group : byImage.entrySet()) {
      List<Integer> idx = group.getValue();
      List<PolarQuestion> batch = new ArrayList<>();
      for (int i : idx) {
        batch.add(polar(items.get(i).question()));
      }
      if (repeatQuestions) {
        for (int i : idx) {
          batch.add(polar(items.get(i).question()));
        }
      }
      List<Integer> negatedItem = new ArrayList<>();
      if (buildNegations) {
        for (int i : idx) {
          if (!paired.contains(items.get(i))) {
            Optional<String> neg = negate(items.get(i).question());
            if (neg.isPresent()) {
              batch.add(polar(neg.get()));
              negatedItem.add(i);
            }
          }
        }
      }
      List<ClaimVerdict> out = judge.judge(group.getKey(), batch);
      String imageName = items.get(idx.get(0)).imageName();
      if (out == null || out.size() != batch.size()) {
        throw new IllegalStateException(
            "judge " + judgeName(judge) + " returned "
                + (out == null ? "null" : out.size() + " verdicts") + " for "
                + batch.size() + " questions about image " + imageName);
      }
      for (int k = 0; k < batch.size(); k++) {
        ClaimVerdict v = out.get(k);
        if (v == null) {
          throw new IllegalStateException(
              "judge " + judgeName(judge) + " returned a null verdict about image " + imageName);
        }
        String asked = batch.get(k).question();
        if (!v.question().question().equals(asked)) {
          // A judge that reorders its verdicts would otherwise be scored on other questions.
          throw new IllegalStateException("judge " + judgeName(judge) + " returned, at position "
              + k + " of its call about image " + imageName + ", a verdict on '"
              + v.question().question() + "' where '" + asked + "' was asked; verdicts must "
              + "come in question order, each naming its question");
        }
      }
      for (int k = 0; k < idx.size(); k++) {
        verdicts[idx.get(k)] = out.get(k);
      }
      int offset = idx.size();
      if (repeatQuestions) {
        for (int k = 0; k < idx.size(); k++) {
          repeatChecks++;
          if (decision(out.get(offset + k)) == decision(out.get(k))) {
            repeatSame++;
          }
        }
        offset += idx.size();
      }
      for (int k = 0; k < negatedItem.size(); k++) {
        negationChecks++;
        ClaimVerdict original = verdicts[negatedItem.get(k)];
        if (opposite(original, out.get(offset + k))) {
          negationOpposite++;
        }
      }
    }

    Map<LabelledQuestion, Integer> position = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      position.putIfAbsent(items.get(i), i);
    }
    for (NegationPair p : set.negationPairs()) {
      negationChecks++;
      if (opposite(verdicts[position.get(p.question())], verdicts[position.get(p.negation())])) {
        negationOpposite++;
      }
    }
    return report(items, verdicts, repeatChecks, repeatSame, negationChecks, negationOpposite);
  }

  private JudgeReport report(
      List<LabelledQuestion> items,
      ClaimVerdict[] verdicts,
      int repeatChecks,
      int repeatSame,
      int negationChecks,
      int negationOpposite) {
    int n = items.size();
    List<JudgedItem> judged = new ArrayList<>(n);
    double[] pYes = new double[n];
    boolean[] gold = new boolean[n];
    int positives = 0;
    int truePositives = 0;
    int trueNegatives = 0;
    int abstained = 0;
    int answered = 0;
    for (int i = 0; i < n; i++) {
      JudgedItem j = new JudgedItem(items.get(i), verdicts[i]);
      judged.add(j);
      pYes[i] = verdicts[i].pYes();
      gold[i] = items.get(i).gold();
      if (gold[i]) {
        positives++;
      }
      if (j.abstained()) {
        abstained++;
      } else {
        answered++;
      }
      if (j.correct()) {
        if (gold[i]) {
          truePositives++;
        } else {
          trueNegatives++;
        }
      }
    }
    double[] calP = new double[answered];
    boolean[] calGold = new boolean[answered];
    int c = 0;
    for (JudgedItem j : judged) {
      if (!j.abstained()) {
        calP[c] = j.normalisedYes();
        calGold[c] = j.item().gold();
        c++;
      }
    }
    List<JudgedItem> worst = judged.stream()
        .filter(j -> !j.abstained() && !j.correct())
        .sorted(Comparator.comparingDouble(JudgedItem::confidence).reversed())
        .limit(worstItems)
        .toList();
    return new JudgeReport(
        n,
        positives,
        (double) (truePositives + trueNegatives) / n,
        JudgeMetrics.balancedAccuracy(truePositives, positives, trueNegatives, n - positives),
        JudgeMetrics.auroc(pYes, gold),
        JudgeMetrics.expectedCalibrationError(calP, calGold, calibrationBins),
        (double) abstained / n,
        repeatChecks == 0 ? Double.NaN : (double) repeatSame / repeatChecks,
        repeatChecks,
        negationChecks == 0 ? Double.NaN : (double) negationOpposite / negationChecks,
        negationChecks,
        worst,
        judged);
  }

  /**
   * Builds the negation of an existential polar question: "is there a red circle?" becomes "is
   * there no red circle?", "are there squares?" becomes "are there no squares?". Questions of
   * another shape, or already negated, have none.
   *
   * @param question the question
   * @return the negated question, or empty when the harness cannot build one
   */
  public static Optional<String> negate(String question) {
    Objects.requireNonNull(question, "question");
    Matcher m = NEGATABLE.matcher(question);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) + " there no " + m.group(2) + "?");
  }

  private static String judgeName(PolarJudge judge) {
    return judge.provenance().name();
  }

  private static PolarQuestion polar(String question) {
    return new PolarQuestion(new Claim(question), question);
  }

  /** -1 abstained, 0 no, 1 yes. */
  private static int decision(ClaimVerdict v) {
    return v.abstained() ? -1 : v.rejected() ? 0 : 1;
  }

  private static boolean opposite(ClaimVerdict a, ClaimVerdict b) {
    int da = decision(a);
    int db = decision(b);
    return da >= 0 && db >= 0 && da != db;
  }

  /** Builder for {@link JudgeHarness}; validation happens in the setters. */
  public static final class Builder {
    private boolean repeatQuestions = true;
    private boolean buildNegations = true;
    private int worstItems = 5;
    private int calibrationBins = 10;

    private Builder() {}

    /**
     * Sets whether every question is asked a second time in the same call to measure repeat
     * consistency (default true).
     *
     * @param repeat true to repeat
     * @return this builder
     */
    public Builder repeatQuestions(boolean repeat) {
      this.repeatQuestions = repeat;
      return this;
    }

    /**
     * Sets whether the harness builds "is there no X?" probes for "is there X?" questions that are
     * not in a negation pair of the set (default true).
     *
     * @param build true to build negations
     * @return this builder
     */
    public Builder buildNegations(boolean build) {
      this.buildNegations = build;
      return this;
    }

    /**
     * Sets how many of the most confident wrong answers the report keeps (default 5).
     *
     * @param count at least 0
     * @return this builder
     * @throws InvalidInputException when negative
     */
    public Builder worstItems(int count) {
      if (count < 0) {
        throw new InvalidInputException("worstItems must be >= 0, got " + count);
      }
      this.worstItems = count;
      return this;
    }

    /**
     * Sets the number of equal-width bins of the calibration error (default 10).
     *
     * @param bins at least 1
     * @return this builder
     * @throws InvalidInputException when less than 1
     */
    public Builder calibrationBins(int bins) {
      if (bins < 1) {
        throw new InvalidInputException("calibrationBins must be >= 1, got " + bins);
      }
      this.calibrationBins = bins;
      return this;
    }

    /**
     * Builds the harness.
     *
     * @return the harness
     */
    public JudgeHarness build() {
      return new JudgeHarness(this);
    }
  }
}
