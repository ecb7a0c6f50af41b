package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.Candidates;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

/** Rule-based divide, a scene-aware fake labeler, and pairing, end to end. */
class PipelineTest {

  /** Answers "is there a COLOUR SHAPE ...?" from a fixed scene; anything else is unsure. */
  private static FakeJudge sceneJudge(Set<String> scene) {
    return new FakeJudge(q -> {
      String l = q.toLowerCase();
      if (!l.startsWith("is there a ")) {
        return new double[] {0.02, 0.03};
      }
      String[] w = l.substring("is there a ".length()).split("[ ?]");
      String object = w[0] + " " + w[1];
      return scene.contains(object) ? new double[] {0.9, 0.05} : new double[] {0.1, 0.85};
    }, 0.2);
  }

  @Test
  void hallucinatingResponsesEndUpRejected() {
    Prompt prompt = Fixtures.prompt("scene-1");
    FakeJudge judge = sceneJudge(Set.of("red circle", "blue square"));
    var scorer = DivideAndConquerScorer.ruleBased(judge);
    List<Response> rs = List.of(
        Fixtures.response("scene-1", 0,
            "there is a red circle on the top left. there is a blue square on the right."),
        Fixtures.response("scene-1", 1,
            "there is a red circle and a green triangle on the left. I think it is lovely."),
        Fixtures.response("scene-1", 2,
            "there is a red circle on the left, a yellow cross and a green triangle."),
        Fixtures.response("scene-1", 3, "What a lovely picture!"));
    List<ScoredResponse> scored = scorer.scoreAll(prompt, rs);
    assertEquals(1, judge.calls.size());
    assertEquals(0, scored.get(0).score());
    assertEquals(-1, scored.get(1).score());
    assertEquals(-2, scored.get(2).score());
    assertTrue(scored.get(3).verdicts().isEmpty());
    assertEquals(1, scorer.stats().zeroClaimResponses());
    // Responses 1 and 2 both ask "is there a red circle on the left?": judged once.
    assertEquals(7, scorer.stats().questions());
    assertEquals(6, scorer.stats().judgedQuestions());

    List<PreferencePair> pairs = RlaifvPairSelector.builder().maxPairsPerPrompt(3).build()
        .select(new Candidates(prompt, scored));
    assertEquals(3, pairs.size());
    for (PreferencePair p : pairs) {
      assertTrue(p.chosen().score() > p.rejected().score());
    }
    assertEquals(0, pairs.get(0).chosen().response().index());
  }
}
