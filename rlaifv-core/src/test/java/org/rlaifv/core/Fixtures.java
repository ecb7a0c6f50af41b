package org.rlaifv.core;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

/** Small builders of test values. */
final class Fixtures {
  private Fixtures() {}

  static Image image() {
    return new Image(2, 2, new byte[12]);
  }

  static Prompt prompt(String id) {
    return new Prompt(id, image(), "describe the image.");
  }

  static Response response(String promptId, int index, String text) {
    return new Response(promptId, index, text, index, 0);
  }

  /** A scored response with {@code rejected} rejected verdicts out of {@code total}. */
  static ScoredResponse scored(String promptId, int index, String text, int total, int rejected) {
    List<ClaimVerdict> vs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      PolarQuestion q = new PolarQuestion(new Claim("claim " + i), "is claim " + i + " true?");
      vs.add(i < rejected ? new ClaimVerdict(q, 0.2, 0.7, false) : new ClaimVerdict(q, 0.8, 0.1, false));
    }
    return new ScoredResponse(response(promptId, index, text), vs);
  }
}
