package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlaifv.Candidates;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.ScoredResponse;

class RlaifvPairSelectorTest {

  private static Candidates group(String id, ScoredResponse... rs) {
    return new Candidates(Fixtures.prompt(id), List.of(rs));
  }

  private static String words(int n, String w) {
    return String.join(" ", java.util.Collections.nCopies(n, w));
  }

  /** A pair whose chosen text has c words and rejected text l words. */
  private static PreferencePair pair(String id, int c, int l) {
    return new PreferencePair(Fixtures.prompt(id),
        Fixtures.scored(id, 0, words(c, "yes"), 1, 0),
        Fixtures.scored(id, 1, words(l, "no"), 1, 1));
  }

  @Test
  void enumeratesEveryPairWithDifferentScoresHigherChosen() {
    Candidates g = group("p",
        Fixtures.scored("p", 0, "a", 2, 0),
        Fixtures.scored("p", 1, "b", 2, 1),
        Fixtures.scored("p", 2, "c", 3, 1),
        Fixtures.scored("p", 3, "d", 3, 3));
    List<PreferencePair> all = RlaifvPairSelector.candidatePairs(g);
    // scores 0, -1, -1, -3: (0,-1) x2, (0,-3), (-1,-3) x2; the two -1 never pair.
    assertEquals(5, all.size());
    for (PreferencePair p : all) {
      assertTrue(p.chosen().score() > p.rejected().score());
    }
    assertEquals(2, RlaifvPairSelector.builder().build().select(g).size());
    assertEquals(5, RlaifvPairSelector.builder().maxPairsPerPrompt(10).build().select(g).size());
  }

  @Test
  void unscoredAndIdenticalTextsNeverPair() {
    ScoredResponse unscored = new ScoredResponse(Fixtures.response("p", 0, "x"), List.of());
    Candidates g = group("p",
        unscored,
        Fixtures.scored("p", 1, "same text", 2, 0),
        Fixtures.scored("p", 2, " same text ", 2, 2),
        Fixtures.scored("p", 3, "other", 2, 0));
    List<PreferencePair> all = RlaifvPairSelector.candidatePairs(g);
    // Kept: index 1 (score 0) and 3 (score 0): equal scores, so nothing pairs.
    assertTrue(all.isEmpty(), all.toString());
  }

  @Test
  void drawDoesNotDependOnPromptOrderOrOtherPrompts() {
    List<Candidates> groups = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      String id = "p" + p;
      List<ScoredResponse> rs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        rs.add(Fixtures.scored(id, i, "text " + i, 5, i));
      }
      groups.add(new Candidates(Fixtures.prompt(id), rs));
    }
    RlaifvPairSelector sel = RlaifvPairSelector.builder().seed(42).build();
    List<PreferencePair> forward = sel.select(groups);
    List<Candidates> reversed = new ArrayList<>(groups);
    java.util.Collections.reverse(reversed);
    List<PreferencePair> backward = sel.select(reversed);
    assertEquals(12, forward.size());
    for (int p = 0; p < 6; p++) {
      String id = "p" + p;
      assertEquals(
          forward.stream().filter(x -> x.prompt().id().equals(id)).toList(),
          backward.stream().filter(x -> x.prompt().id().equals(id)).toList());
      assertEquals(
          forward.stream().filter(x -> x.prompt().id().equals(id)).toList(),
          sel.select(groups.get(p)));
    }
    // Grouped by prompt in input order.
    assertEquals("p0", forward.get(0).prompt().id());
    assertEquals("p5", forward.get(11).prompt().id());
    assertEquals("p5", backward.get(0).prompt().id());
    // A different seed draws differently somewhere (15 pairs per prompt, 6 prompts).
    assertNotEquals(forward, RlaifvPairSelector.builder().seed(43).build().select(groups));
  }

  @Test
  void balancingTakesTheLargestCutoffAmongEqualGaps() {
    // d = 0.5, 0, 0.2: r in [0, 0.18] keeps only the equal-length pair (gap 0).
    var b = RlaifvPairSelector.balanceLengths(List.of(pair("a", 5, 10), pair("b", 10, 10),
        pair("c", 8, 10)));
    assertEquals(0.18, b.cutoff(), 1e-12);
    assertEquals(1, b.pairs().size());
    assertEquals("b", b.pairs().get(0).prompt().id());
    assertEquals(0.0, b.gapAfter());
    assertEquals(7.0 / 30.0, b.gapBefore(), 1e-12);
  }

  @Test
  void balancingNeverWidensTheGap() {
    // Dropping the lopsided pair (d = 0.99) would leave chosen 10x longer: keep both (r = 1).
    var b = RlaifvPairSelector.balanceLengths(List.of(pair("a", 100, 10), pair("b", 1, 100)));
    assertEquals(1.0, b.cutoff());
    assertEquals(2, b.pairs().size());
    assertEquals(b.gapBefore(), b.gapAfter());
  }

  @Test
  void balancingOfNothingIsNothing() {
    var b = RlaifvPairSelector.balanceLengths(List.of());
    assertTrue(b.pairs().isEmpty());
    assertEquals(0.0, b.gapAfter());
  }

  @Test
  void selectionReportsItsStages() {
    Candidates g = group("p",
        Fixtures.scored("p", 0, words(3, "a"), 1, 0),
        Fixtures.scored("p", 1, words(9, "b"), 1, 1),
        Fixtures.scored("p", 2, words(4, "c"), 2, 2));
    var s = RlaifvPairSelector.builder().lengthBalancing(true).maxPairsPerPrompt(3).build()
        .selectDetailed(List.of(g));
    assertEquals(3, s.candidatePairs());
    assertEquals(3, s.drawnPairs());
    assertTrue(s.gapAfter() <= s.gapBefore());
    assertTrue(s.cutoff() >= 0 && s.cutoff() <= 1);
    var off = RlaifvPairSelector.builder().build().selectDetailed(List.of(g));
    assertTrue(Double.isNaN(off.cutoff()));
  }

  @Test
  void builderValidatesAndRoundTrips() {
    assertThrows(InvalidInputException.class,
        () -> RlaifvPairSelector.builder().maxPairsPerPrompt(0).build());
    var s = RlaifvPairSelector.builder().maxPairsPerPrompt(3).seed(9).lengthBalancing(true).build();
    var t = s.toBuilder().build();
    assertEquals(3, t.maxPairsPerPrompt());
    assertEquals(9, t.seed());
    assertTrue(t.lengthBalancing());
  }
}
