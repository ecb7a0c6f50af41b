package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.ClaimSplitter;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

/** Verdicts are matched to questions by question, never by position. */
class VerdictMatchingTest {

  private static final ClaimSplitter SPLIT =
      text -> Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty())
          .map(Claim::new).toList();

  private static final PolarQuestioner ASK =
      claims -> claims.stream().map(c -> new PolarQuestion(c, "is it true that " + c.text() + "?"))
          .toList();

  private final Prompt prompt = Fixtures.prompt("p1");

  /** Answers "no" to questions about x, "yes" otherwise, and returns the verdicts reversed. */
  static final class ReversingJudge implements PolarJudge {
    @Override
    public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
      List<ClaimVerdict> out = new ArrayList<>();
      for (PolarQuestion q : questions) {
        boolean no = q.question().contains("x");
        out.add(new ClaimVerdict(q, no ? 0.1 : 0.9, no ? 0.9 : 0.1, false));
      }
      Collections.reverse(out);
      return out;
    }
  }

  @Test
  void aJudgeReturningVerdictsInAnotherOrderStillScoresEveryClaimWithItsOwnVerdict() {
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, new ReversingJudge());
    List<ScoredResponse> out = scorer.scoreAll(prompt, List.of(
        Fixtures.response("p1", 0, "a; b; c"),
        Fixtures.response("p1", 1, "x; y")));
    assertEquals(0, out.get(0).score());
    assertEquals(-1, out.get(1).score());
    for (ScoredResponse s : out) {
      for (ClaimVerdict v : s.verdicts()) {
        assertEquals(v.question().question().contains("x"), v.rejected(), v.toString());
      }
    }
  }

  @Test
  void aVerdictOnAQuestionNotAskedIsRefusedNamingTheJudgeAndTheQuestion() {
    PolarJudge renaming = new PolarJudge() {
      @Override
      public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
        return questions.stream().map(q -> new ClaimVerdict(
            new PolarQuestion(q.claim(), q.question().toUpperCase(java.util.Locale.ROOT)),
            0.5, 0.5, false)).toList();
      }
    };
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, renaming);
    BackendException e = assertThrows(BackendException.class,
        () -> scorer.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a"))));
    assertTrue(e.getMessage().contains("IS IT TRUE THAT A?"), e.getMessage());
    assertTrue(e.getMessage().contains("VerdictMatchingTest$"), e.getMessage());
    assertTrue(e.getMessage().contains("p1"), e.getMessage());

    PolarJudge twice = (image, questions) -> questions.stream()
        .map(q -> new ClaimVerdict(questions.get(0), 0.5, 0.5, false)).toList();
    BackendException dup = assertThrows(BackendException.class,
        () -> new DivideAndConquerScorer(SPLIT, ASK, twice)
            .scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a; b"))));
    assertTrue(dup.getMessage().contains("two verdicts on 'is it true that a?'"), dup.getMessage());
  }

  @Test
  void theScorerDescribesItsParts() {
    var scorer = DivideAndConquerScorer.ruleBased(FakeJudge.table(Map.of()));
    var p = scorer.provenance();
    assertEquals(DivideAndConquerScorer.class.getName(), p.name());
    assertEquals(FakeJudge.class.getName(), p.parts().get("judge").name());
    assertEquals("true", p.parts().get("questioner").settings().get("fallback"));
    assertEquals(
        org.rlaifv.core.text.RuleBasedClaimSplitter.class.getName(),
        p.parts().get("splitter").name());
  }
}
