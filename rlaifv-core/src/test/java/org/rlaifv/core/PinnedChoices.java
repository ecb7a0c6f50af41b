package org.rlaifv.core;

import java.util.ArrayList;
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
import org.rlaifv.Seeds;

/** A fixed input for the pinned pair-selector choices, and their rendering. */
final class PinnedChoices {
  private PinnedChoices() {}

  /** Eight prompts of eight candidates whose scores and lengths follow from Seeds.mix. */
  static List<Candidates> input() {
    List<Candidates> groups = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      String id = "prompt-" + p;
      Prompt prompt = new Prompt(id, new Image(1, 1, new byte[] {(byte) p, 0, 0}), "describe.");
      List<ScoredResponse> rs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long h = Seeds.mix(p, i);
        int claims = 1 + (int) Math.floorMod(h, 4L);
        int rejected = (int) Math.floorMod(h >>> 8, (long) claims + 1);
        StringBuilder text = new StringBuilder();
        List<ClaimVerdict> vs = new ArrayList<>();
        for (int c = 0; c < claims; c++) {
          String claim = "fact " + c + " of " + i + (Math.floorMod(h >>> 16, 2L) == 0 ? "" : " x");
          text.append(claim).append(". ");
          boolean no = c < rejected;
          vs.add(new ClaimVerdict(new PolarQuestion(new Claim(claim), claim + "?"),
              no ? 0.1 : 0.9, no ? 0.9 : 0.1, false));
        }
        rs.add(new ScoredResponse(new Response(id, i, text.toString().strip(), h, 0), vs));
      }
      groups.add(new Candidates(prompt, rs));
    }
    return groups;
  }

  static List<String> render(List<PreferencePair> pairs) {
    return pairs.stream().map(p -> p.prompt().id() + ":" + p.chosen().response().index() + ">"
        + p.rejected().response().index()).toList();
  }
}
