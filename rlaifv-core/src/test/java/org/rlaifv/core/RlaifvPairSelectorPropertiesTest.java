package org.rlaifv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.rlaifv.Candidates;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PreferencePair;
import org.rlaifv.ScoredResponse;

/** Invariants of {@link RlaifvPairSelector} over random candidate sets. */
class RlaifvPairSelectorPropertiesTest {

  /** One response: its words, and verdicts as (rejected, abstained) flags. */
  record Spec(List<String> words, List<Boolean> rejected, List<Boolean> abstained) {}

  @Provide
  Arbitrary<List<Candidates>> groups() {
    Arbitrary<List<String>> words =
        Arbitraries.of("a", "red", "circle", "blue", "square", "left").list().ofMinSize(0)
            .ofMaxSize(14);
    Arbitrary<Spec> spec = Combinators.combine(
            words,
            Arbitraries.of(true, false).list().ofMaxSize(5),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(false)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(true))).list().ofSize(5))
        .as(Spec::new);
    return spec.list().ofMaxSize(9).list().ofMinSize(1).ofMaxSize(6).map(
        RlaifvPairSelectorPropertiesTest::build);
  }

  private static List<Candidates> build(List<List<Spec>> specs) {
    List<Candidates> out = new ArrayList<>();
    for (int p = 0; p < specs.size(); p++) {
      String id = "prompt-" + p;
      List<ScoredResponse> rs = new ArrayList<>();
      for (int i = 0; i < specs.get(p).size(); i++) {
        Spec s = specs.get(p).get(i);
        List<ClaimVerdict> vs = new ArrayList<>();
        for (int k = 0; k < s.rejected().size(); k++) {
          PolarQuestion q = new PolarQuestion(new Claim("c" + k), "q" + k + "?");
          boolean rej = s.rejected().get(k);
          // Ties reject: a rejected verdict is sometimes an exact tie.
          double pYes = rej ? (k % 2 == 0 ? 0.3 : 0.45) : 0.7;
          double pNo = rej ? (k % 2 == 0 ? 0.6 : 0.45) : 0.2;
          vs.add(new ClaimVerdict(q, pYes, pNo, s.abstained().get(k)));
        }
        rs.add(new ScoredResponse(
            Fixtures.response(id, i, String.join(" ", s.words())), vs));
      }
      out.add(new Candidates(Fixtures.prompt(id), rs));
    }
    return out;
  }

  @Property(tries = 300)
  void everyPairIsAdmissible(
      @ForAll("groups") List<Candidates> groups,
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int max,
      @ForAll boolean balance) {
    var sel = RlaifvPairSelector.builder().seed(seed).maxPairsPerPrompt(max)
        .lengthBalancing(balance).build();
    List<PreferencePair> pairs = sel.select(groups);
    Map<String, Integer> perPrompt = new HashMap<>();
    for (PreferencePair p : pairs) {
      assertTrue(p.chosen().scored() && p.rejected().scored(), "unscored never pair");
      assertTrue(p.chosen().score() >= p.rejected().score() + 1, "score gap of at least 1");
      assertNotEquals(p.chosen().response().text().strip(), p.rejected().response().text().strip(),
          "identical texts never pair");
      perPrompt.merge(p.prompt().id(), 1, Integer::sum);
    }
    perPrompt.values().forEach(n -> assertTrue(n <= max, "at most max pairs per prompt"));
  }

  @Property(tries = 200)
  void defaultDrawsAtMostTwoPerPromptGroupedInInputOrder(@ForAll("groups") List<Candidates> groups) {
    List<PreferencePair> pairs = RlaifvPairSelector.builder().build().select(groups);
    int last = -1;
    Map<String, Integer> perPrompt = new HashMap<>();
    for (PreferencePair p : pairs) {
      int idx = Integer.parseInt(p.prompt().id().substring("prompt-".length()));
      assertTrue(idx >= last, "grouped by prompt in input order");
      last = idx;
      perPrompt.merge(p.prompt().id(), 1, Integer::sum);
    }
    perPrompt.values().forEach(n -> assertTrue(n <= 2));
    // A prompt with at least one admissible pair always yields one.
    for (Candidates g : groups) {
      int expected = Math.min(2, RlaifvPairSelector.candidatePairs(g).size());
      assertEquals(expected, perPrompt.getOrDefault(g.prompt().id(), 0));
    }
  }

  @Property(tries = 200)
  void sameSeedSamePairs(@ForAll("groups") List<Candidates> groups, @ForAll long seed,
      @ForAll boolean balance) {
    var a = RlaifvPairSelector.builder().seed(seed).lengthBalancing(balance).build();
    var b = RlaifvPairSelector.builder().seed(seed).lengthBalancing(balance).build();
    assertEquals(a.select(groups), b.select(groups));
  }

  @Property(tries = 300)
  void balancingNeverWidensTheRelativeGap(@ForAll("groups") List<Candidates> groups,
      @ForAll long seed) {
    var plain = RlaifvPairSelector.builder().seed(seed).build().select(groups);
    var balanced = RlaifvPairSelector.builder().seed(seed).lengthBalancing(true).build()
        .select(groups);
    assertTrue(plain.containsAll(balanced), "balancing only drops pairs");
    assertTrue(RlaifvPairSelector.relativeLengthGap(balanced)
        <= RlaifvPairSelector.relativeLengthGap(plain));
    if (!plain.isEmpty()) {
      assertTrue(!balanced.isEmpty(), "balancing keeps at least one pair");
    }
  }
}
