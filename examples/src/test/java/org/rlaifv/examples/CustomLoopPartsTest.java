package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.rlaifv.Candidates;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.text.PromptedClaimSplitter;
import org.junit.jupiter.api.Test;

class CustomLoopPartsTest {

  @Test
  void factGeneratorFeedsThePromptedSplitterOneClaimPerSentence() {
    PromptedClaimSplitter splitter =
        new PromptedClaimSplitter(new CustomLoopExample.FactListGenerator());
    List<Claim> claims = splitter.split(
        "there is a red circle on the top left. there is a blue square on the bottom right.");
    assertEquals(List.of("there is a red circle on the top left.",
        "there is a blue square on the bottom right."), claims.stream().map(Claim::text).toList());
  }

  @Test
  void bestVersusWorstPairsTheExtremesOnlyWhenScoresDiffer() {
    Prompt p = new Prompt("p1", new Image(2, 2, new byte[12]), "describe the image.");
    ScoredResponse good = scored(p, 0, "a.", 0);
    ScoredResponse mid = scored(p, 1, "a. b.", 1);
    ScoredResponse bad = scored(p, 2, "a. b. c.", 2);
    List<PreferencePair> pairs = new CustomLoopExample.BestVersusWorst()
        .select(List.of(new Candidates(p, List.of(mid, bad, good))));
    assertEquals(1, pairs.size());
    assertEquals(good, pairs.get(0).chosen());
    assertEquals(bad, pairs.get(0).rejected());

    List<PreferencePair> none = new CustomLoopExample.BestVersusWorst()
        .select(List.of(new Candidates(p, List.of(scored(p, 0, "a.", 1), scored(p, 1, "b.", 1)))));
    assertTrue(none.isEmpty());
  }

  /** A response with {@code rejected} rejected claims out of two. */
  private static ScoredResponse scored(Prompt p, int index, String text, int rejected) {
    Response r = new Response(p.id(), index, text, index, 3);
    List<ClaimVerdict> v = new java.util.ArrayList<>();
    for (int i = 0; i < Math.max(2, rejected); i++) {
      PolarQuestion q = new PolarQuestion(new Claim("claim " + i), "is claim " + i + "?");
      boolean no = i < rejected;
      v.add(new ClaimVerdict(q, no ? 0.1 : 0.9, no ? 0.9 : 0.1, false));
    }
    return new ScoredResponse(r, v);
  }
}
