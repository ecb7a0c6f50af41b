package org.rlaifv.testkit.jqwik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.rlaifv.Candidates;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.ScoredResponse;

class RlaifvArbitrariesTest {

  @Provide
  Arbitrary<ClaimVerdict> verdicts() {
    return RlaifvArbitraries.verdicts();
  }

  @Provide
  Arbitrary<ScoredResponse> twoRejections() {
    return RlaifvArbitraries.scoredResponses(2);
  }

  @Provide
  Arbitrary<ScoredResponse> noRejections() {
    return RlaifvArbitraries.scoredResponses(0);
  }

  @Provide
  Arbitrary<Candidates> candidates() {
    return RlaifvArbitraries.candidates();
  }

  @Provide
  Arbitrary<PolarQuestion> questions() {
    return RlaifvArbitraries.polarQuestions();
  }

  @Property(tries = 300)
  void verdictsAreValidAndCoverTheEdgeCases(@ForAll("verdicts") ClaimVerdict v) {
    assertTrue(v.pYes() >= 0 && v.pNo() >= 0 && v.pYes() + v.pNo() <= 1 + ClaimVerdict.MASS_TOLERANCE);
    assertEquals(v.abstained(), v.pYes() + v.pNo() < RlaifvArbitraries.ABSTAIN_BELOW, v.toString());
    String kind = v.abstained() ? "abstained" : v.pYes() == v.pNo() ? "tie" : v.rejected() ? "no" : "yes";
    Statistics.label("kind").collect(kind);
    Statistics.label("kind").coverage(c -> {
      c.check("tie").count(n -> n > 0);
      c.check("abstained").count(n -> n > 0);
      c.check("yes").count(n -> n > 30);
      c.check("no").count(n -> n > 30);
    });
  }

  @Property(tries = 200)
  void scoredResponsesHaveTheChosenNumberOfRejections(@ForAll("twoRejections") ScoredResponse r) {
    assertTrue(r.scored());
    assertEquals(-2, r.score());
    assertEquals(2, r.rejectedCount());
  }

  @Property(tries = 100)
  void zeroRejectionsAreStillScored(@ForAll("noRejections") ScoredResponse r) {
    assertTrue(r.scored());
    assertEquals(0, r.score(), r.verdicts().toString());
  }

  @Property(tries = 50)
  void candidatesBelongToTheirPromptWithDistinctIndicesAndSeeds(@ForAll("candidates") Candidates c) {
    assertTrue(c.responses().size() >= 1 && c.responses().size() <= 10);
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < c.responses().size(); i++) {
      ScoredResponse r = c.responses().get(i);
      assertEquals(c.prompt().id(), r.response().promptId());
      assertEquals(i, r.response().index());
      assertTrue(seeds.add(r.response().seed()), "seeds are distinct");
      assertTrue(r.scored());
      assertTrue(r.score() <= 0 && r.score() >= -4);
    }
    int w = c.prompt().image().width();
    assertTrue(w >= 1 && w <= 8);
  }

  @Property(tries = 200)
  void questionsEndWithAQuestionMark(@ForAll("questions") PolarQuestion q) {
    assertTrue(q.question().endsWith("?"), q.question());
    assertTrue(q.claim().text().endsWith("."), q.claim().text());
  }
}
