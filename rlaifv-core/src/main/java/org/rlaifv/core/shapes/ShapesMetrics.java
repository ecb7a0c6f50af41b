package org.rlaifv.core.shapes;

import java.util.List;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.InvalidInputException;

/**
 * Hallucination metrics of responses about scenes, and the labeler's agreement with the ground
 * truth.
 *
 * <p>Mentions come from {@link MentionParser}; negated mentions ("there is no blue square") are
 * not counted. A mention is <em>hallucinated</em> when no object of its colour and shape is in the
 * scene; its place is not required to match (a right object in the wrong cell is not a
 * hallucination), and place is measured separately as {@linkplain Report#positionAccuracy()
 * position accuracy}. An object counts as covered when some mention names its colour and shape.
 *
 * <pre>{@code
 * ShapesMetrics.Report r = ShapesMetrics.evaluate(scenes, responses);
 * log.info("CHAIR_i {} CHAIR_s {} coverage {}", r.chairI(), r.chairS(), r.coverage());
 * }</pre>
 */
public final class ShapesMetrics {

  private ShapesMetrics() {}

  /**
   * Counts of one evaluation, and the rates derived from them. Rates of an empty denominator are 0.
   *
   * @param responses number of responses
   * @param mentions affirmative object mentions
   * @param hallucinatedMentions mentions with no object of their colour and shape in the scene
   * @param hallucinatingResponses responses with at least one hallucinated mention
   * @param objects objects present in the scenes
   * @param coveredObjects objects whose colour and shape some mention of their response names
   * @param placedMentions non-hallucinated mentions that name a cell
   * @param correctlyPlacedMentions of those, the ones whose cell holds an object of their colour
   *     and shape
   * @param words total whitespace-separated words of the responses
   */
  public record Report(
      int responses,
      int mentions,
      int hallucinatedMentions,
      int hallucinatingResponses,
      int objects,
      int coveredObjects,
      int placedMentions,
      int correctlyPlacedMentions,
      long words) {

    /**
     * Validates the counts.
     *
     * @throws InvalidInputException when a count is negative or a part exceeds its whole
     */
    public Report {
      if (responses < 0
          || hallucinatedMentions < 0
          || hallucinatedMentions > mentions
          || hallucinatingResponses < 0
          || hallucinatingResponses > responses
          || coveredObjects < 0
          || coveredObjects > objects
          || correctlyPlacedMentions < 0
          || correctlyPlacedMentions > placedMentions
          || words < 0) {
        throw new InvalidInputException("inconsistent metric counts");
      }
    }

    /**
     * Returns CHAIR_i: hallucinated mentions / all mentions.
     *
     * @return a fraction in [0, 1]
     */
    public double chairI() {
      return ratio(hallucinatedMentions, mentions);
    }

    /**
     * Returns CHAIR_s: responses with at least one hallucination / all responses.
     *
     * @return a fraction in [0, 1]
     */
    public double chairS() {
      return ratio(hallucinatingResponses, responses);
    }

    /**
     * Returns coverage: objects mentioned / objects present.
     *
     * @return a fraction in [0, 1]
     */
    public double coverage() {
      return ratio(coveredObjects, objects);
    }

    /**
     * Returns the mean number of words per response.
     *
     * @return the mean, 0 without responses
     */
    public double meanWords() {
      return responses == 0 ? 0 : (double) words / responses;
    }

    /**
     * Returns position accuracy: correctly placed / placed non-hallucinated mentions.
     *
     * @return a fraction in [0, 1]
     */
    public double positionAccuracy() {
      return ratio(correctlyPlacedMentions, placedMentions);
    }
  }

  /**
   * Agreement of a judge with the true answers.
   *
   * @param n number of questions
   * @param accuracy fraction answered correctly (yes when {@code pYes > pNo})
   * @param balancedAccuracy mean of the true-positive and true-negative rates
   * @param truePositiveRate fraction of true statements answered yes
   * @param trueNegativeRate fraction of false statements answered no
   * @param abstained verdicts marked abstained (counted as answered by {@code pYes > pNo} all the
   *     same, which for an abstention with no mass means "no")
   */
  public record LabelerAgreement(
      int n,
      double accuracy,
      double balancedAccuracy,
      double truePositiveRate,
      double trueNegativeRate,
      int abstained) {}

  /**
   * Evaluates responses against their scenes.
   *
   * @param scenes the ground truth, one per response
   * @param responses the response texts, in the same order
   * @return the counts and rates
   * @throws InvalidInputException when the lists differ in length
   */
  public static Report evaluate(List<Scene> scenes, List<String> responses) {
    if (scenes.size() != responses.size()) {
      throw new InvalidInputException(
          "got " + scenes.size() + " scenes but " + responses.size() + " responses");
    }
    int mentions = 0;
    int hallucinated = 0;
    int hallucinating = 0;
    int objects = 0;
    int covered = 0;
    int placed = 0;
    int placedRight = 0;
    long words = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Scene scene = scenes.get(i);
      String text = responses.get(i);
      List<Mention> ms = MentionParser.parse(text).stream().filter(m -> !m.negated()).toList();
      boolean any = false;
      for (Mention m : ms) {
        mentions++;
        if (!m.existsIn(scene)) {
          hallucinated++;
          any = true;
        } else if (m.cell().isPresent()) {
          placed++;
          if (m.holdsIn(scene)) {
            placedRight++;
          }
        }
      }
      if (any) {
        hallucinating++;
      }
      for (SceneObject o : scene.objects()) {
        objects++;
        if (ms.stream().anyMatch(m -> m.colour().isPresent() && m.matches(o))) {
          covered++;
        }
      }
      String t = text.strip();
      words += t.isEmpty() ? 0 : t.split("\\s+").length;
    }
    return new Report(
        scenes.size(), mentions, hallucinated, hallucinating, objects, covered, placed, placedRight,
        words);
  }

  /**
   * Evaluates one response against its scene.
   *
   * @param scene the ground truth
   * @param response the response text
   * @return the counts and rates of this single response
   */
  public static Report evaluate(Scene scene, String response) {
    return evaluate(List.of(scene), List.of(response));
  }

  /**
   * Measures a judge's agreement with the true answers; a question is answered yes when {@code
   * pYes > pNo} (a tie is no, as in {@link ClaimVerdict#rejected()}).
   *
   * @param gold the true answers
   * @param pYes the judge's probability of yes, per question
   * @param pNo the judge's probability of no, per question
   * @return the agreement (abstentions not recorded; see the verdict overload)
   * @throws InvalidInputException when the lists differ in length
   */
  public static LabelerAgreement labelerAccuracy(
      List<Boolean> gold, List<Double> pYes, List<Double> pNo) {
    if (gold.size() != pYes.size() || gold.size() != pNo.size()) {
      throw new InvalidInputException(
          "got " + gold.size() + " answers, " + pYes.size() + " pYes and " + pNo.size() + " pNo");
    }
    int tp = 0;
    int pos = 0;
    int tn = 0;
    int neg = 0;
    for (int i = 0; i < gold.size(); i++) {
      boolean yes = pYes.get(i) > pNo.get(i);
      if (gold.get(i)) {
        pos++;
        tp += yes ? 1 : 0;
      } else {
        neg++;
        tn += yes ? 0 : 1;
      }
    }
    double tpr = ratio(tp, pos);
    double tnr = ratio(tn, neg);
    double balanced = pos == 0 ? tnr : neg == 0 ? tpr : (tpr + tnr) / 2;
    return new LabelerAgreement(gold.size(), ratio(tp + tn, gold.size()), balanced, tpr, tnr, 0);
  }

  /**
   * Measures a judge's agreement with the true answers of polar examples.
   *
   * @param examples the questions with their true answers
   * @param verdicts the judge's verdicts, in the same order
   * @return the agreement, with the number of abstained verdicts
   * @throws InvalidInputException when the lists differ in length
   */
  public static LabelerAgreement labelerAccuracy(
      List<PolarExample> examples, List<ClaimVerdict> verdicts) {
    if (examples.size() != verdicts.size()) {
      throw new InvalidInputException(
          "got " + examples.size() + " questions but " + verdicts.size() + " verdicts");
    }
    LabelerAgreement a =
        labelerAccuracy(
            examples.stream().map(PolarExample::answer).toList(),
            verdicts.stream().map(ClaimVerdict::pYes).toList(),
            verdicts.stream().map(ClaimVerdict::pNo).toList());
    int abstained = (int) verdicts.stream().filter(ClaimVerdict::abstained).count();
    return new LabelerAgreement(
        a.n(), a.accuracy(), a.balancedAccuracy(), a.truePositiveRate(), a.trueNegativeRate(),
        abstained);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
