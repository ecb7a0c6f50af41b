package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.BackendException;
import org.rlaifv.Candidates;
import org.rlaifv.ChoiceQuestion;
import org.rlaifv.ChoiceVerdict;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.HolisticVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.HolisticScorer;
import org.rlaifv.core.RatingScorer;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.io.Json;
import org.rlaifv.testkit.fakes.ScriptedChoiceJudge;
import org.rlaifv.testkit.fakes.ScriptedJudge;

/**
 * The holistic scorers (ablation 2's alternatives to divide and conquer) with scripted labelers:
 * the score follows the labeler's probabilities, and bad input or a misbehaving labeler fails with
 * a message naming what is wrong.
 */
class HolisticScorersTest {

  private static final Image IMG = new Image(1, 1, new byte[] {1, 2, 3});
  private static final Prompt P = new Prompt("p1", IMG, "describe the image.");
  private static final String T = "is this what you see? {answer}";
  private static final List<String> SCALE = List.of("one", "two", "three");

  private static List<Response> responses(String... texts) {
    List<Response> out = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      out.add(new Response("p1", i, texts[i], 100 + i, texts[i].split(" ").length));
    }
    return out;
  }

  @Test
  void holisticScoreIsTheLabelersPYesOfTheWholeAnswer() {
    Map<String, ScriptedJudge.Answer> script = Map.of(
        "is this what you see? there is a red circle.", ScriptedJudge.Answer.of(0.9, 0.1),
        "is this what you see? there is a red circle. there is a cross.",
        ScriptedJudge.Answer.of(0.3, 0.6),
        "is this what you see? there is a blue square.", ScriptedJudge.Answer.of(0.55, 0.40));
    ScriptedJudge judge = ScriptedJudge.of(q -> script.get(q));
    HolisticScorer scorer = new HolisticScorer(judge, T, 50);
    List<ScoredResponse> out = scorer.scoreAll(P, responses("there is a red circle.",
        "there is a red circle.\n  there is a cross.", "there is a blue square.",
        " there is a red circle. "));
    assertEquals(List.of(0.9, 0.3, 0.55, 0.9), out.stream().map(ScoredResponse::value).toList());
    for (ScoredResponse s : out) {
      assertTrue(s.isHolistic() && s.scored() && s.verdicts().isEmpty());
    }
    HolisticVerdict v = out.get(1).holistic().get(0);
    assertEquals("is this what you see? there is a red circle. there is a cross.", v.question());
    assertEquals(0.9, v.mass(), 1e-12);
    // One judge call per prompt, each distinct question once.
    assertEquals(1, judge.calls().size());
    assertEquals(3, judge.calls().get(0).questions().size());
    assertEquals(new HolisticScorer.Stats(1, 4, 0, 0, 3, 0), scorer.stats());
    // value() pairs them: the higher p_yes is chosen.
    List<PreferencePair> pairs = RlaifvPairSelector.candidatePairs(new Candidates(P, out), 0);
    assertEquals(3, pairs.size(), "identical texts never pair; every other two scores differ");
    for (PreferencePair p : pairs) {
      assertTrue(p.chosen().value() > p.rejected().value());
    }
    assertEquals(1, RlaifvPairSelector.candidatePairs(new Candidates(P, out), 0.5).size());
    assertEquals(0, RlaifvPairSelector.candidatePairs(new Candidates(P, out)).size(),
        "the default gap of 1 never pairs probabilities");
  }

  @Test
  void holisticLeavesBlankAndAbstainedAnswersUnscoredAndCutsLongOnes() {
    ScriptedJudge judge = ScriptedJudge.of(q -> q.endsWith("d e")
        ? ScriptedJudge.Answer.abstain() : ScriptedJudge.Answer.of(0.7, 0.2));
    HolisticScorer scorer = new HolisticScorer(judge, T, 3);
    List<ScoredResponse> out = scorer.scoreAll(P, responses("  ", "d e", "a b c d e f"));
    assertFalse(out.get(0).scored());
    assertFalse(out.get(0).isHolistic(), "a blank answer is not asked about");
    assertFalse(out.get(1).scored(), "an abstained verdict leaves the answer unscored");
    assertTrue(out.get(1).holistic().get(0).abstained());
    assertEquals("is this what you see? a b c", out.get(2).holistic().get(0).question());
    assertEquals(0.7, out.get(2).value());
    assertEquals(new HolisticScorer.Stats(1, 3, 1, 1, 2, 1), scorer.stats());
    assertThrows(IllegalStateException.class, () -> out.get(1).value());
    assertThrows(IllegalStateException.class, () -> out.get(2).score(),
        "-n_rej does not exist for a holistic judgement");
    assertEquals(List.of(), scorer.scoreAll(P, List.of()));
  }

  @Test
  void ratingScoreIsTheExpectedRatingOverTheScale() {
    ScriptedChoiceJudge judge = ScriptedChoiceJudge.of(q -> {
      String a = q.question();
      if (a.contains("good")) {
        return List.of(0.0, 0.0, 0.9);
      }
      if (a.contains("mixed")) {
        return List.of(0.1, 0.2, 0.1); // mass 0.4: (1*0.1 + 2*0.2 + 3*0.1) / 0.4 = 2
      }
      return List.of(0.05, 0.0, 0.05); // mass 0.1: (0.05 + 0.15) / 0.1 = 2, renormalised
    }, 0.01);
    RatingScorer scorer = new RatingScorer(judge, "rate {answer} one two or three", SCALE, 20);
    List<ScoredResponse> out = scorer.scoreAll(P, responses("good answer", "mixed answer",
        "split answer"));
    assertEquals(3.0, out.get(0).value(), 1e-12);
    assertEquals(2.0, out.get(1).value(), 1e-12);
    assertEquals(2.0, out.get(2).value(), 1e-12);
    assertEquals(0.4, out.get(1).holistic().get(0).mass(), 1e-12);
    ChoiceQuestion asked = judge.calls().get(0).questions().get(0);
    assertEquals("rate good answer one two or three", asked.question());
    assertEquals(SCALE, asked.options());
    assertEquals(2.5, RatingScorer.expectedRating(new ChoiceVerdict(
        new ChoiceQuestion("q", List.of("a", "b", "c", "d")), List.of(0.0, 0.25, 0.25, 0.0),
        false)), 1e-12);
  }

  @Test
  void ratingWithNoMassOnTheScaleIsUnscored() {
    ScriptedChoiceJudge zero = ScriptedChoiceJudge.of(q -> List.of(0.0, 0.0, 0.0), 0);
    ScoredResponse s = new RatingScorer(zero, "rate {answer}", SCALE, 20)
        .scoreAll(P, responses("an answer")).get(0);
    assertFalse(s.scored(), "no mass on the scale: no expected rating");
    ScriptedChoiceJudge little = ScriptedChoiceJudge.of(q -> List.of(0.01, 0.0, 0.0));
    assertFalse(new RatingScorer(little, "rate {answer}", SCALE, 20)
        .scoreAll(P, responses("an answer")).get(0).scored(), "under the judge's threshold");
  }

  @Test
  void badSettingsFailWithClearMessages() {
    PolarJudge judge = ScriptedJudge.of(q -> ScriptedJudge.Answer.yes());
    assertMessage(InvalidInputException.class, "exactly once",
        () -> new HolisticScorer(judge, "no slot here", 10));
    assertMessage(InvalidInputException.class, "exactly once",
        () -> new HolisticScorer(judge, "{answer} and {answer}", 10));
    assertMessage(InvalidInputException.class, "asks nothing",
        () -> new HolisticScorer(judge, " {answer} ", 10));
    assertMessage(InvalidInputException.class, "maxAnswerWords",
        () -> new HolisticScorer(judge, T, 0));
    ScriptedChoiceJudge cj = ScriptedChoiceJudge.of(q -> List.of(0.5, 0.5));
    assertMessage(InvalidInputException.class, "at least two options",
        () -> new RatingScorer(cj, T, List.of("one"), 10));
    assertMessage(InvalidInputException.class, "twice",
        () -> new RatingScorer(cj, T, List.of("one", "one"), 10));
    assertMessage(InvalidInputException.class, "answers prompt p2",
        () -> new HolisticScorer(judge).scoreAll(P,
            List.of(new Response("p2", 0, "there is a cross.", 1, 4))));
    assertMessage(InvalidInputException.class, "minScoreGap",
        () -> RlaifvPairSelector.builder().minScoreGap(-0.1).build());
  }

  @Test
  void misbehavingLabelersAreRefusedNamingThePrompt() {
    PolarJudge dropsOne = (image, qs) -> List.of();
    assertMessage(BackendException.class, "prompt p1",
        () -> new HolisticScorer(dropsOne, T, 10).scoreAll(P, responses("a")));
    PolarJudge answersAnother = (image, qs) -> List.of(new ClaimVerdict(
        new PolarQuestion(new Claim("x"), "is there a cat?"), 0.9, 0.1, false));
    assertMessage(BackendException.class, "is there a cat?",
        () -> new HolisticScorer(answersAnother, T, 10).scoreAll(P, responses("a")));
    PolarJudge throwsPlain = (image, qs) -> {
      throw new IllegalStateException("out of memory");
    };
    assertMessage(BackendException.class, "judge failed on prompt p1: out of memory",
        () -> new HolisticScorer(throwsPlain, T, 10).scoreAll(P, responses("a")));
    ScriptedChoiceJudge wrongCount = ScriptedChoiceJudge.of(q -> List.of(0.5, 0.5));
    assertMessage(InvalidInputException.class, "2 probabilities for 3 options",
        () -> new RatingScorer(wrongCount, T, SCALE, 10).scoreAll(P, responses("a")));
  }

  @Test
  void scoredResponsesAreJudgedOneWayAndRoundTripThroughJson() {
    Response r = responses("there is a cross.").get(0);
    ClaimVerdict cv = new ClaimVerdict(new PolarQuestion(new Claim("c"), "is there a cross?"),
        0.9, 0.1, false);
    HolisticVerdict hv = new HolisticVerdict("is this it? there is a cross.", 0.8, 0.95, false);
    assertMessage(InvalidInputException.class, "one way or the other",
        () -> new ScoredResponse(r, List.of(cv), List.of(hv)));
    assertMessage(InvalidInputException.class, "at most one",
        () -> new ScoredResponse(r, List.of(), List.of(hv, hv)));
    assertMessage(InvalidInputException.class, "finite",
        () -> new HolisticVerdict("q", Double.NaN, 0.5, false));
    assertMessage(InvalidInputException.class, "[0, 1]",
        () -> new HolisticVerdict("q", 1, 1.5, false));

    ScoredResponse holistic = ScoredResponse.holistic(r, hv);
    assertEquals(holistic, Json.fromJson(Json.toJson(holistic), ScoredResponse.class));
    ScoredResponse divided = new ScoredResponse(r, List.of(cv));
    String json = Json.toJson(divided);
    assertFalse(json.contains("holistic"), "claim-scored lines keep their layout: " + json);
    assertEquals(divided, Json.fromJson(json, ScoredResponse.class));
    assertEquals(0.0, divided.value());
    assertMessage(InvalidInputException.class, "unknown scored-response field 'extra'",
        () -> Json.fromJson(json.replace("{\"response\"", "{\"extra\":1,\"response\""),
            ScoredResponse.class));
  }

  private static void assertMessage(Class<? extends RuntimeException> type, String part,
      org.junit.jupiter.api.function.Executable call) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' names " + part);
  }
}
