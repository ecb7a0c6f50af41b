package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordValidationTest {
  private static final Image IMG = new Image(1, 1, new byte[3]);

  private static void assertNames(RuntimeException e, String item) {
    assertTrue(e.getMessage().contains(item), "'" + e.getMessage() + "' should name " + item);
  }

  private static PolarQuestion question(String text) {
    return new PolarQuestion(new Claim("there is a cat."), text);
  }

  @Test
  void promptRejectsBlankTextAndBadIdsNamingThePrompt() {
    assertNames(assertThrows(InvalidInputException.class, () -> new Prompt("p-17", IMG, "  ")),
        "p-17");
    assertThrows(InvalidInputException.class, () -> new Prompt(" ", IMG, "describe"));
    assertNames(assertThrows(InvalidInputException.class,
        () -> new Prompt("a\nb", IMG, "describe")), "line breaks");
    assertEquals("p", new Prompt("p", IMG, "describe").id());
  }

  @Test
  void responseRejectsNegativeIndexNamingThePrompt() {
    assertNames(assertThrows(InvalidInputException.class,
        () -> new Response("p-3", -1, "text", 0, 0)), "p-3");
    assertNames(assertThrows(InvalidInputException.class,
        () -> new Response("p-3", 0, "text", 0, -5)), "p-3");
    assertEquals(3, new Response("p", 0, "  a  b\tc ", 0, 0).wordCount());
    assertEquals(0, new Response("p", 0, "   ", 0, 0).wordCount());
  }

  @Test
  void claimAndQuestionMustNotBeBlank() {
    assertThrows(InvalidInputException.class, () -> new Claim(" \n"));
    assertNames(assertThrows(InvalidInputException.class, () -> question("")), "there is a cat.");
  }

  @Test
  void verdictValidatesProbabilitiesNamingTheQuestion() {
    PolarQuestion q = question("is there a cat?");
    assertNames(assertThrows(InvalidInputException.class, () -> new ClaimVerdict(q, 1.2, 0, false)),
        "is there a cat?");
    assertThrows(InvalidInputException.class, () -> new ClaimVerdict(q, 0.5, -0.1, false));
    assertThrows(InvalidInputException.class, () -> new ClaimVerdict(q, Double.NaN, 0, false));
    assertNames(assertThrows(InvalidInputException.class, () -> new ClaimVerdict(q, 0.7, 0.5,
        false)), "is there a cat?");
    // Rounding slack is allowed.
    new ClaimVerdict(q, 0.5, 0.5 + ClaimVerdict.MASS_TOLERANCE / 2, false);
  }

  @Test
  void tiesRejectAndAbstentionsDoNotCount() {
    PolarQuestion q = question("is there a cat?");
    assertTrue(new ClaimVerdict(q, 0.4, 0.4, false).rejected());
    assertTrue(new ClaimVerdict(q, 0.4, 0.4, false).countsAsRejection());
    assertTrue(new ClaimVerdict(q, 0, 0, false).rejected());
    assertFalse(new ClaimVerdict(q, 0.41, 0.4, false).rejected());
    ClaimVerdict abstained = ClaimVerdict.of(q, 0.01, 0.02, 0.1);
    assertTrue(abstained.abstained());
    assertTrue(abstained.rejected());
    assertFalse(abstained.countsAsRejection());
    assertFalse(ClaimVerdict.of(q, 0.3, 0.2, 0.1).abstained());
  }

  @Test
  void scoredResponseScoresMinusRejectedAndRefusesWithoutScore() {
    Response r = new Response("p-9", 2, "text", 0, 0);
    PolarQuestion q = question("is there a cat?");
    ScoredResponse s = new ScoredResponse(r, List.of(
        new ClaimVerdict(q, 0.1, 0.8, false),
        new ClaimVerdict(q, 0.5, 0.5, false),
        new ClaimVerdict(q, 0.9, 0.05, false),
        new ClaimVerdict(q, 0.0, 0.01, true)));
    assertEquals(-2, s.score());
    assertEquals(2, s.rejectedCount());
    assertEquals(1, s.abstainedCount());
    ScoredResponse none = new ScoredResponse(r, List.of());
    assertFalse(none.scored());
    assertNames(assertThrows(IllegalStateException.class, none::score), "p-9");
    ScoredResponse allAbstained =
        new ScoredResponse(r, List.of(new ClaimVerdict(q, 0.0, 0.01, true)));
    assertFalse(allAbstained.scored());
    List<ClaimVerdict> withNull = new ArrayList<>();
    withNull.add(null);
    assertNames(assertThrows(InvalidInputException.class, () -> new ScoredResponse(r, withNull)),
        "p-9");
  }

  @Test
  void scoredResponseCopiesItsList() {
    List<ClaimVerdict> vs = new ArrayList<>();
    vs.add(new ClaimVerdict(question("q?"), 0.9, 0.1, false));
    ScoredResponse s = new ScoredResponse(new Response("p", 0, "t", 0, 0), vs);
    vs.clear();
    assertEquals(1, s.verdicts().size());
  }

  @Test
  void pairsAndCandidatesMustStayWithinOnePrompt() {
    Prompt p = new Prompt("p-1", IMG, "describe");
    ScoredResponse mine = new ScoredResponse(new Response("p-1", 0, "a", 0, 0), List.of());
    ScoredResponse other = new ScoredResponse(new Response("p-2", 0, "b", 0, 0), List.of());
    var e = assertThrows(InvalidInputException.class, () -> new PreferencePair(p, mine, other));
    assertNames(e, "p-1");
    assertNames(e, "p-2");
    assertNames(assertThrows(InvalidInputException.class,
        () -> new Candidates(p, List.of(mine, other))), "p-2");
    assertEquals(1, new Candidates(p, List.of(mine)).responses().size());
  }
}
