package org.rlaifv.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.ClaimSplitter;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.text.RuleBasedClaimSplitter;
import org.rlaifv.core.text.RuleBasedPolarQuestioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RLAIF-V's divide-and-conquer scorer: splits each response into claims, rewrites the claims as
 * polar questions, has the labeler judge them, and scores each response -n_rej.
 *
 * <p>For one prompt, every question of every response is sent to the {@link PolarJudge} in a
 * single call about the prompt's image, so a backend can encode the image and the prompt prefix
 * once. Identical question strings within that call are judged once and their verdict is shared.
 * Verdicts are matched to questions by their question text, never by position: a judge that returns
 * them in another order still scores every claim with its own verdict, and a judge that leaves a
 * question out, answers one twice or answers another question is refused with a {@link
 * BackendException} naming the judge, the prompt and the question.
 * A response with no claims (or whose claims yield no questions) gets a {@link ScoredResponse}
 * with no verdicts: it is unscored and never paired.
 *
 * <pre>{@code
 * DivideAndConquerScorer scorer = new DivideAndConquerScorer(
 *     new PromptedClaimSplitter(llm), new PromptedPolarQuestioner(llm), judge);
 * List<ScoredResponse> scored = scorer.scoreAll(prompt, responses);
 * DivideAndConquerScorer.Stats stats = scorer.stats();
 * }</pre>
 *
 * <p>Thread-safe when its splitter, questioner and judge are; the counters are updated atomically.
 * The scorer does not own the judge (whoever created it closes it) unless it was made by {@link
 * #owningJudge}.
 */
public final class DivideAndConquerScorer implements ResponseScorer {
  private static final Logger LOG = LoggerFactory.getLogger(DivideAndConquerScorer.class);

  private final ClaimSplitter splitter;
  private final PolarQuestioner questioner;
  private final PolarJudge judge;
  private final boolean ownsJudge;

  private final LongAdder prompts = new LongAdder();
  private final LongAdder responses = new LongAdder();
  private final LongAdder claims = new LongAdder();
  private final LongAdder zeroClaimResponses = new LongAdder();
  private final LongAdder questions = new LongAdder();
  private final LongAdder judgedQuestions = new LongAdder();
  private final LongAdder abstainedVerdicts = new LongAdder();
  private final LongAdder unscoredResponses = new LongAdder();

  /**
   * Creates a scorer from its three parts.
   *
   * @param splitter divides a response into claims
   * @param questioner rewrites claims as polar questions
   * @param judge the labeler; not closed by this scorer
   */
  public DivideAndConquerScorer(
      ClaimSplitter splitter, PolarQuestioner questioner, PolarJudge judge) {
    this(splitter, questioner, judge, false);
  }

  private DivideAndConquerScorer(
      ClaimSplitter splitter, PolarQuestioner questioner, PolarJudge judge, boolean ownsJudge) {
    this.splitter = Objects.requireNonNull(splitter, "splitter");
    this.questioner = Objects.requireNonNull(questioner, "questioner");
    this.judge = Objects.requireNonNull(judge, "judge");
    this.ownsJudge = ownsJudge;
  }

  /**
   * Creates a scorer that owns its judge: {@link #close()} closes it. For scorers made per
   * iteration (for example one whose labeler is the current policy), so that the loop, which
   * closes each scorer after its score stage, frees the judge's model too.
   *
   * @param splitter divides a response into claims
   * @param questioner rewrites claims as polar questions
   * @param judge the labeler, closed with this scorer
   * @return the scorer
   */
  public static DivideAndConquerScorer owningJudge(
      ClaimSplitter splitter, PolarQuestioner questioner, PolarJudge judge) {
    return new DivideAndConquerScorer(splitter, questioner, judge, true);
  }

  /**
   * Closes the judge when this scorer owns it ({@link #owningJudge}); otherwise does nothing.
   */
  @Override
  public void close() {
    if (ownsJudge) {
      judge.close();
    }
  }

  /**
   * Creates a scorer that divides with the rule-based splitter and questioner of {@code
   * org.rlaifv.core.text}, suited to plain descriptive English such as ShapesWorld's.
   *
   * @param judge the labeler; not closed by this scorer
   * @return the scorer
   */
  public static DivideAndConquerScorer ruleBased(PolarJudge judge) {
    return new DivideAndConquerScorer(
        new RuleBasedClaimSplitter(), new RuleBasedPolarQuestioner(), judge);
  }

  /**
   * Scores all candidates of one prompt with one judge call.
   *
   * @param prompt the prompt
   * @param candidates its candidate responses
   * @return one scored response per candidate, in order
   * @throws InvalidInputException when a response answers another prompt
   * @throws BackendException naming the prompt when a part (splitter, questioner, judge) returns
   *     the wrong number of results or a null one, the judge's verdicts do not answer exactly the
   *     questions asked (named), or a part fails with an exception that is not an {@link
   *     org.rlaifv.RlaifvException}
   */
  @Override
  public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> candidates) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(candidates, "responses");
    for (Response r : candidates) {
      if (!r.promptId().equals(prompt.id())) {
        throw new InvalidInputException(
            "response " + r.index() + " answers prompt " + r.promptId()
                + ", not prompt " + prompt.id());
      }
    }
    prompts.increment();
    responses.add(candidates.size());
    if (candidates.isEmpty()) {
      return List.of();
    }

    List<String> texts = candidates.stream().map(Response::text).toList();
    List<List<Claim>> claimLists =
        ScorerCalls.call("claim splitter", prompt, () -> splitter.splitAll(texts));
    ScorerCalls.checkSize(claimLists, candidates.size(), "claim splitter", "claim lists", prompt);

    // Only responses with claims go to the questioner; the others stay unscored.
    List<Integer> withClaims = new ArrayList<>();
    List<List<Claim>> nonEmpty = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      List<Claim> c = claimLists.get(i);
      claims.add(c.size());
      if (c.isEmpty()) {
        zeroClaimResponses.increment();
        LOG.debug(
            "response {} to prompt {} has no claims: '{}'",
            candidates.get(i).index(), prompt.id(), ScorerCalls.preview(candidates.get(i).text()));
      } else {
        withClaims.add(i);
        nonEmpty.add(c);
      }
    }
    List<List<PolarQuestion>> questionLists = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      questionLists.add(List.of());
    }
    if (!nonEmpty.isEmpty()) {
      List<List<PolarQuestion>> asked =
          ScorerCalls.call("polar questioner", prompt, () -> questioner.questionsAll(nonEmpty));
      ScorerCalls.checkSize(asked, nonEmpty.size(), "polar questioner", "question lists", prompt);
      for (int k = 0; k < withClaims.size(); k++) {
        questionLists.set(withClaims.get(k), asked.get(k));
      }
    }

    // One judge call per prompt; identical question strings share one verdict.
    Map<String, Integer> uniqueIndex = new LinkedHashMap<>();
    List<PolarQuestion> unique = new ArrayList<>();
    for (List<PolarQuestion> qs : questionLists) {
      for (PolarQuestion q : qs) {
        Objects.requireNonNull(q, () -> "questioner returned null for prompt " + prompt.id());
        questions.increment();
        if (uniqueIndex.putIfAbsent(q.question(), unique.size()) == null) {
          unique.add(q);
        }
      }
    }
    Map<String, ClaimVerdict> verdicts = unique.isEmpty() ? Map.of() : judge(prompt, unique);
    judgedQuestions.add(unique.size());

    List<ScoredResponse> out = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      List<ClaimVerdict> own = new ArrayList<>();
      for (PolarQuestion q : questionLists.get(i)) {
        ClaimVerdict v = verdicts.get(q.question());
        if (v.abstained()) {
          abstainedVerdicts.increment();
        }
        // Rebuild so each verdict names this response's own claim, also for shared questions.
        own.add(v.question().equals(q) ? v : new ClaimVerdict(q, v.pYes(), v.pNo(), v.abstained()));
      }
      ScoredResponse sr = new ScoredResponse(candidates.get(i), own);
      if (!sr.scored()) {
        unscoredResponses.increment();
      }
      out.add(sr);
    }
    return out;
  }

  /** Judges the distinct questions and returns their verdicts by question text. */
  private Map<String, ClaimVerdict> judge(Prompt prompt, List<PolarQuestion> unique) {
    List<ClaimVerdict> verdicts =
        ScorerCalls.call("judge", prompt, () -> judge.judge(prompt.image(), unique));
    ScorerCalls.checkSize(verdicts, unique.size(), "judge", "verdicts", prompt);
    Map<String, ClaimVerdict> byQuestion = new LinkedHashMap<>();
    for (PolarQuestion q : unique) {
      byQuestion.put(q.question(), null);
    }
    String judgeName = judge.provenance().name();
    for (ClaimVerdict v : verdicts) {
      String q = v.question().question();
      if (!byQuestion.containsKey(q)) {
        throw new BackendException("judge " + judgeName + " returned a verdict on '" + q
            + "', which was not asked, for prompt " + prompt.id()
            + "; each verdict must name the question it answers");
      }
      if (byQuestion.put(q, v) != null) {
        throw new BackendException("judge " + judgeName + " returned two verdicts on '" + q
            + "' for prompt " + prompt.id() + "; each verdict must name the question it answers");
      }
    }
    // The sizes match and every verdict answers a distinct asked question, so all are answered.
    return byQuestion;
  }

  /**
   * Describes the scorer: its splitter, questioner and judge.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .withPart("splitter", splitter.provenance())
        .withPart("questioner", questioner.provenance())
        .withPart("judge", judge.provenance());
  }

  /**
   * Returns a snapshot of the counters accumulated since this scorer was created.
   *
   * @return the counters
   */
  public Stats stats() {
    return new Stats(
        prompts.sum(),
        responses.sum(),
        claims.sum(),
        zeroClaimResponses.sum(),
        questions.sum(),
        judgedQuestions.sum(),
        abstainedVerdicts.sum(),
        unscoredResponses.sum());
  }

  /**
   * Counters of a {@link DivideAndConquerScorer}.
   *
   * @param prompts prompts scored
   * @param responses responses scored
   * @param claims claims produced by the splitter
   * @param zeroClaimResponses responses from which the splitter took no claim
   * @param questions polar questions produced by the questioner
   * @param judgedQuestions distinct questions sent to the judge (after de-duplication per prompt)
   * @param abstainedVerdicts verdicts, counted per response claim, on which the judge abstained
   * @param unscoredResponses responses left without a score (no claims, no questions, or every
   *     verdict abstained)
   */
  public record Stats(
      long prompts,
      long responses,
      long claims,
      long zeroClaimResponses,
      long questions,
      long judgedQuestions,
      long abstainedVerdicts,
      long unscoredResponses) {}
}
