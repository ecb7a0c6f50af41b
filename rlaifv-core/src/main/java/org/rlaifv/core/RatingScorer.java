package org.rlaifv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.ChoiceJudge;
import org.rlaifv.ChoiceQuestion;
import org.rlaifv.ChoiceVerdict;
import org.rlaifv.HolisticVerdict;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;

/**
 * Rating, the second alternative to RLAIF-V's divide and conquer: the labeler is asked to rate the
 * whole response on a scale of K answer words, and the response's score is the expected rating
 * under the labeler's probabilities of those words, renormalised over the scale: score = sum_k k
 * p_k / sum_k p_k, with the k-th word of the scale worth k (1 to K).
 *
 * <p>The question ({@link ChoiceQuestion}: the template with the response in its slot, the scale
 * words as options) goes to a {@link ChoiceJudge}; all distinct questions of one prompt in one
 * call. A verdict the judge marks abstained (too little mass on the scale), or whose mass is 0,
 * leaves the response unscored; so does a blank response. Long responses are cut in the question
 * as {@link HolisticScorer} cuts them.
 *
 * <p>Scores lie in [1, K]: pair them with a {@link RlaifvPairSelector} whose {@code minScoreGap}
 * suits them (1 pairs only ratings a whole point apart).
 *
 * <pre>{@code
 * RatingScorer scorer = new RatingScorer(choiceJudge);
 * double expected = scorer.scoreAll(prompt, responses).get(0).value();
 * }</pre>
 *
 * <p>Thread-safe when its judge is. Does not own the judge unless made by {@link #owningJudge}.
 */
public final class RatingScorer extends WholeResponseScorer {

  /** The question asked unless another template is given; it names the default scale. */
  public static final String DEFAULT_TEMPLATE = "how accurately does the following describe the"
      + " image, from 1 (not at all) to 5 (completely)? " + ANSWER + " Answer with one number.";

  /** The rating words of the default scale, worth 1 to 5. */
  public static final List<String> DEFAULT_SCALE = List.of("1", "2", "3", "4", "5");

  private final ChoiceJudge judge;
  private final List<String> scale;

  /**
   * Creates a scorer with the default question, scale and word limit.
   *
   * @param judge the labeler; not closed by this scorer
   */
  public RatingScorer(ChoiceJudge judge) {
    this(judge, DEFAULT_TEMPLATE, DEFAULT_SCALE, HolisticScorer.DEFAULT_MAX_ANSWER_WORDS);
  }

  /**
   * Creates a scorer.
   *
   * @param judge the labeler; not closed by this scorer
   * @param template the question, instruction included, with one {@code {answer}} slot for the response
   * @param scale the rating words, lowest first (worth 1, 2, ...), at least two, distinct
   * @param maxAnswerWords words of a response put into the question, at least 1
   * @throws InvalidInputException when the template has no slot or more than one, the scale has
   *     fewer than two words or repeats one, or maxAnswerWords is below 1
   */
  public RatingScorer(ChoiceJudge judge, String template, List<String> scale,
      int maxAnswerWords) {
    this(judge, template, scale, maxAnswerWords, false);
  }

  private RatingScorer(ChoiceJudge judge, String template, List<String> scale,
      int maxAnswerWords, boolean ownsJudge) {
    super(template, maxAnswerWords, ownsJudge ? judge::close : () -> { });
    this.judge = Objects.requireNonNull(judge, "judge");
    // Validates the scale as options (at least two, distinct, none blank).
    this.scale = new ChoiceQuestion(template, scale).options();
  }

  /**
   * Creates a scorer that closes its judge with itself (for a judge made per iteration).
   *
   * @param judge the labeler, closed with this scorer
   * @param template the question template
   * @param scale the rating words, lowest first
   * @param maxAnswerWords words of a response put into the question
   * @return the scorer
   */
  public static RatingScorer owningJudge(ChoiceJudge judge, String template, List<String> scale,
      int maxAnswerWords) {
    return new RatingScorer(judge, template, scale, maxAnswerWords, true);
  }

  /**
   * Returns the rating words, lowest first.
   *
   * @return the scale
   */
  public List<String> scale() {
    return scale;
  }

  /**
   * Returns the expected rating of a verdict: sum_k k p_k / sum_k p_k over the scale.
   *
   * @param verdict the labeler's answer to a rating question on this scale
   * @return the expected rating in [1, K], or NaN when the mass on the scale is 0
   */
  public static double expectedRating(ChoiceVerdict verdict) {
    double mass = 0;
    double sum = 0;
    List<Double> p = verdict.probabilities();
    for (int k = 0; k < p.size(); k++) {
      mass += p.get(k);
      sum += (k + 1) * p.get(k);
    }
    return mass > 0 ? sum / mass : Double.NaN;
  }

  @Override
  List<HolisticVerdict> judge(Prompt prompt, List<String> questions) {
    List<ChoiceQuestion> asked = new ArrayList<>(questions.size());
    for (String q : questions) {
      asked.add(new ChoiceQuestion(q, scale));
    }
    List<ChoiceVerdict> verdicts = judge.judge(prompt.image(), asked);
    ScorerCalls.checkSize(verdicts, asked.size(), "judge", "verdicts", prompt);
    List<HolisticVerdict> out = new ArrayList<>(verdicts.size());
    for (ChoiceVerdict v : verdicts) {
      if (!v.question().options().equals(scale)) {
        throw new org.rlaifv.BackendException("judge " + judge.provenance().name()
            + " answered '" + v.question().question() + "' with options "
            + v.question().options() + " where " + scale + " were asked, for prompt "
            + prompt.id());
      }
      double rating = expectedRating(v);
      boolean none = Double.isNaN(rating);
      out.add(new HolisticVerdict(v.question().question(), none ? 1.0 : rating,
          Math.min(1.0, v.mass()), v.abstained() || none));
    }
    return out;
  }

  /**
   * Describes the scorer: its question template, scale, word limit and judge.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("template", template())
        .with("scale", String.join(",", scale))
        .with("maxAnswerWords", maxAnswerWords())
        .with("score", "expected rating")
        .withPart("judge", judge.provenance());
  }
}
