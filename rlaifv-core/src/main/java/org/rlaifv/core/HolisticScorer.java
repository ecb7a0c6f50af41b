package org.rlaifv.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.HolisticVerdict;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;

/**
 * Holistic scoring, the alternative RLAIF-V's divide and conquer is measured against: the labeler
 * is asked one polar question about the whole response ("is the following description of the
 * image accurate? {answer}") and the response's score is the labeler's p_yes for it.
 *
 * <p>The question goes to the {@link PolarJudge} as a {@link PolarQuestion} whose claim is the
 * response text, so a judge asks it as it asks any polar question ({@code DjlPolarJudge} appends
 * "Please answer yes or no."). All distinct questions of one prompt go to the judge in one call. A
 * verdict the judge marks abstained (p_yes + p_no under its threshold) leaves the response
 * unscored; a blank response is not asked about and stays unscored. Responses longer than {@code
 * maxAnswerWords} words are cut in the question (a labeler's context is finite; the reference cuts
 * the splitter's input at 300 words for the same reason), and counted in {@link #stats()}.
 *
 * <p>Scores are probabilities, not integers: pair them with a {@link RlaifvPairSelector} whose
 * {@code minScoreGap} is below 1 (for example 0: any two different scores).
 *
 * <pre>{@code
 * HolisticScorer scorer = new HolisticScorer(judge);
 * List<ScoredResponse> scored = scorer.scoreAll(prompt, responses);
 * double pYes = scored.get(0).value();
 * }</pre>
 *
 * <p>Thread-safe when its judge is. Does not own the judge unless made by {@link #owningJudge}.
 */
public final class HolisticScorer extends WholeResponseScorer {

  /** The question asked unless another template is given. */
  public static final String DEFAULT_TEMPLATE =
      "is the following description of the image accurate? " + ANSWER;

  /** Words of a response put into the question unless set otherwise. */
  public static final int DEFAULT_MAX_ANSWER_WORDS = 300;

  private final PolarJudge judge;

  /**
   * Creates a scorer with the default question and word limit.
   *
   * @param judge the labeler; not closed by this scorer
   */
  public HolisticScorer(PolarJudge judge) {
    this(judge, DEFAULT_TEMPLATE, DEFAULT_MAX_ANSWER_WORDS);
  }

  /**
   * Creates a scorer.
   *
   * @param judge the labeler; not closed by this scorer
   * @param template the question, with one {@code {answer}} slot for the
   *     response
   * @param maxAnswerWords words of a response put into the question, at least 1
   * @throws org.rlaifv.InvalidInputException when the template has no slot or more than one, or
   *     maxAnswerWords is below 1
   */
  public HolisticScorer(PolarJudge judge, String template, int maxAnswerWords) {
    this(judge, template, maxAnswerWords, false);
  }

  private HolisticScorer(PolarJudge judge, String template, int maxAnswerWords,
      boolean ownsJudge) {
    super(template, maxAnswerWords, ownsJudge ? judge::close : () -> { });
    this.judge = Objects.requireNonNull(judge, "judge");
  }

  /**
   * Creates a scorer that closes its judge with itself (for a judge made per iteration).
   *
   * @param judge the labeler, closed with this scorer
   * @param template the question template
   * @param maxAnswerWords words of a response put into the question
   * @return the scorer
   */
  public static HolisticScorer owningJudge(PolarJudge judge, String template,
      int maxAnswerWords) {
    return new HolisticScorer(judge, template, maxAnswerWords, true);
  }

  @Override
  List<HolisticVerdict> judge(Prompt prompt, List<String> questions) {
    List<PolarQuestion> polar = new ArrayList<>(questions.size());
    for (String q : questions) {
      polar.add(new PolarQuestion(new Claim(q), q));
    }
    List<ClaimVerdict> verdicts = judge.judge(prompt.image(), polar);
    ScorerCalls.checkSize(verdicts, polar.size(), "judge", "verdicts", prompt);
    List<HolisticVerdict> out = new ArrayList<>(verdicts.size());
    for (ClaimVerdict v : verdicts) {
      out.add(new HolisticVerdict(v.question().question(), v.pYes(), v.pYes() + v.pNo(),
          v.abstained()));
    }
    return out;
  }

  /**
   * Describes the scorer: its question template, word limit and judge.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("template", template())
        .with("maxAnswerWords", maxAnswerWords())
        .with("score", "pYes")
        .withPart("judge", judge.provenance());
  }
}
