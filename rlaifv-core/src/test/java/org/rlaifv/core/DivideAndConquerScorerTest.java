package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.ClaimSplitter;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

class DivideAndConquerScorerTest {

  /** Claims are the ';'-separated parts of the text. */
  private static final ClaimSplitter SPLIT =
      text -> Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty())
          .map(Claim::new).toList();

  /** Question = "is it true that <claim>?". */
  private static final PolarQuestioner ASK =
      claims -> claims.stream().map(c -> new PolarQuestion(c, "is it true that " + c.text() + "?"))
          .toList();

  private final Prompt prompt = Fixtures.prompt("p1");

  private static String q(String claim) {
    return "is it true that " + claim + "?";
  }

  @Test
  void judgesAllQuestionsOfAPromptInOneCallWithoutDuplicates() {
    FakeJudge judge = FakeJudge.table(Map.of());
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, judge);
    List<Response> rs = List.of(
        Fixtures.response("p1", 0, "a; b"),
        Fixtures.response("p1", 1, "b; c; a"),
        Fixtures.response("p1", 2, "d"));
    List<ScoredResponse> out = scorer.scoreAll(prompt, rs);
    assertEquals(1, judge.calls.size());
    assertEquals(
        List.of(q("a"), q("b"), q("c"), q("d")),
        judge.calls.get(0).stream().map(PolarQuestion::question).toList());
    assertEquals(List.of(2, 3, 1), out.stream().map(s -> s.verdicts().size()).toList());
    // Shared verdicts still name each response's own claim.
    assertEquals("c", out.get(1).verdicts().get(1).question().claim().text());
    var stats = scorer.stats();
    assertEquals(6, stats.questions());
    assertEquals(4, stats.judgedQuestions());
    assertEquals(6, stats.claims());
  }

  @Test
  void scoreIsMinusRejectedWithTiesRejectingAndAbstentionsIgnored() {
    FakeJudge judge = FakeJudge.table(Map.of(
        q("wrong"), new double[] {0.1, 0.8},
        q("tie"), new double[] {0.4, 0.4},
        q("unsure"), new double[] {0.01, 0.02}));
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, judge);
    List<ScoredResponse> out = scorer.scoreAll(prompt, List.of(
        Fixtures.response("p1", 0, "right; wrong; tie; unsure"),
        Fixtures.response("p1", 1, "right; other"),
        Fixtures.response("p1", 2, "unsure")));
    assertEquals(-2, out.get(0).score());
    assertEquals(1, out.get(0).abstainedCount());
    assertEquals(0, out.get(1).score());
    assertFalse(out.get(2).scored(), "every verdict abstained");
    var stats = scorer.stats();
    assertEquals(2, stats.abstainedVerdicts());
    assertEquals(1, stats.unscoredResponses());
  }

  @Test
  void responsesWithoutClaimsAreUnscoredAndCounted() {
    FakeJudge judge = FakeJudge.table(Map.of());
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, judge);
    List<ScoredResponse> out = scorer.scoreAll(prompt, List.of(
        Fixtures.response("p1", 0, " ; "), Fixtures.response("p1", 1, "")));
    assertTrue(out.stream().allMatch(s -> s.verdicts().isEmpty() && !s.scored()));
    assertTrue(judge.calls.isEmpty(), "no questions, no judge call");
    assertEquals(2, scorer.stats().zeroClaimResponses());
    assertEquals(2, scorer.stats().unscoredResponses());
  }

  @Test
  void wrongNumberOfVerdictsNamesThePrompt() {
    var scorer = new DivideAndConquerScorer(SPLIT, ASK,
        (image, qs) -> List.of(new ClaimVerdict(qs.get(0), 0.5, 0.5, false)));
    var e = assertThrows(BackendException.class,
        () -> scorer.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a; b"))));
    assertTrue(e.getMessage().contains("p1"), e.getMessage());
  }

  @Test
  void foreignJudgeFailureIsWrappedWithThePrompt() {
    IllegalStateException boom = new IllegalStateException("boom");
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, (image, qs) -> {
      throw boom;
    });
    var e = assertThrows(BackendException.class,
        () -> scorer.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a"))));
    assertSame(boom, e.getCause());
    assertTrue(e.getMessage().contains("p1"));
  }

  @Test
  void wrongSplitterOutputSizeIsReported() {
    ClaimSplitter broken = new ClaimSplitter() {
      @Override
      public List<Claim> split(String text) {
        return List.of();
      }

      @Override
      public List<List<Claim>> splitAll(List<String> texts) {
        return List.of();
      }
    };
    var scorer = new DivideAndConquerScorer(broken, ASK, FakeJudge.table(Map.of()));
    var e = assertThrows(BackendException.class,
        () -> scorer.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a"))));
    assertTrue(e.getMessage().contains("p1"));
  }

  @Test
  void nullVerdictAndFailingSplitterAreReportedWithThePrompt() {
    var nullJudge = new DivideAndConquerScorer(SPLIT, ASK, (image, qs) -> {
      List<ClaimVerdict> out = new java.util.ArrayList<>();
      out.add(null);
      return out;
    });
    var e = assertThrows(BackendException.class,
        () -> nullJudge.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a"))));
    assertTrue(e.getMessage().contains("p1"), e.getMessage());
    var failing = new DivideAndConquerScorer(text -> {
      throw new java.io.UncheckedIOException(new java.io.IOException("connection reset"));
    }, ASK, FakeJudge.table(Map.of()));
    e = assertThrows(BackendException.class,
        () -> failing.scoreAll(prompt, List.of(Fixtures.response("p1", 0, "a"))));
    assertTrue(e.getMessage().contains("claim splitter") && e.getMessage().contains("p1"));
  }

  @Test
  void rejectsResponsesToAnotherPrompt() {
    var scorer = new DivideAndConquerScorer(SPLIT, ASK, FakeJudge.table(Map.of()));
    var e = assertThrows(InvalidInputException.class,
        () -> scorer.scoreAll(prompt, List.of(Fixtures.response("p2", 0, "a"))));
    assertTrue(e.getMessage().contains("p2"));
  }

  @Test
  void questionerMayLeaveClaimsOut() {
    PolarQuestioner skipsB = claims -> claims.stream().filter(c -> !c.text().equals("b"))
        .map(c -> new PolarQuestion(c, q(c.text()))).toList();
    FakeJudge judge = FakeJudge.table(Map.of(q("a"), new double[] {0.1, 0.9}));
    var scorer = new DivideAndConquerScorer(SPLIT, skipsB, judge);
    ScoredResponse s = scorer.score(prompt, Fixtures.response("p1", 0, "a; b"));
    assertEquals(1, s.verdicts().size());
    assertEquals(-1, s.score());
    assertEquals(2, scorer.stats().claims());
    assertEquals(1, scorer.stats().questions());
  }

  @Test
  void aScorerClosesItsJudgeOnlyWhenItOwnsIt() {
    int[] closed = {0};
    org.rlaifv.PolarJudge judge =
        new org.rlaifv.PolarJudge() {
          @Override
          public List<ClaimVerdict> judge(org.rlaifv.Image image, List<PolarQuestion> questions) {
            return List.of();
          }

          @Override
          public void close() {
            closed[0]++;
          }
        };
    ClaimSplitter split = r -> List.of();
    PolarQuestioner ask = cs -> cs.stream().map(c -> new PolarQuestion(c, c.text() + "?")).toList();
    new DivideAndConquerScorer(split, ask, judge).close();
    assertEquals(0, closed[0], "a borrowed judge stays open");
    DivideAndConquerScorer.owningJudge(split, ask, judge).close();
    assertEquals(1, closed[0], "an owned judge closes with its scorer");
  }
}
