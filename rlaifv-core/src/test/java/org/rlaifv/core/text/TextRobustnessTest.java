package org.rlaifv.core.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rlaifv.Claim;

/** The rule-based splitter and questioner never fail on odd text. */
class TextRobustnessTest {
  private final RuleBasedClaimSplitter splitter = new RuleBasedClaimSplitter();
  private final RuleBasedPolarQuestioner questioner = new RuleBasedPolarQuestioner();

  @Provide
  Arbitrary<String> englishish() {
    return Arbitraries.of("there", "is", "are", "a", "the", "red", "circle", "squares", "and",
            "on", "left", "has", "touches", "moved", "not", "no", ",", ".", "?", "!", "I", "think",
            "beautiful", "\n", "- ", "1.", "can", "was", "It", "seems", ";", "  ", "e.g.")
        .list().ofMaxSize(30).map(ws -> String.join(" ", ws));
  }

  @Property(tries = 500)
  void splitterGivesNonBlankSentencesOnWordSoup(@ForAll("englishish") String text) {
    for (Claim c : splitter.split(text)) {
      assertFalse(c.text().isBlank());
      assertTrue(c.text().endsWith("."));
    }
  }

  @Property(tries = 300)
  void splitterNeverThrowsOnArbitraryText(@ForAll String text) {
    splitter.split(text);
  }

  @Property(tries = 500)
  void everyClaimBecomesAQuestion(@ForAll("englishish") String text) {
    for (Claim c : splitter.split(text)) {
      String q = questioner.toQuestion(c.text()).orElseThrow();
      assertTrue(q.endsWith("?"), q);
      // Negation is never dropped.
      if (c.text().matches("(?i).*\\b(not|no)\\b.*")) {
        assertTrue(q.matches("(?i).*\\b(not|no)\\b.*"), c.text() + " -> " + q);
      }
    }
  }

  @Property(tries = 300)
  void questionerNeverThrowsOnArbitraryText(@ForAll String text) {
    questioner.toQuestion(text);
  }
}
