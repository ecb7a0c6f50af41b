package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.TrainingMetrics;

/** Golden file for the line formats of a run directory: a change here breaks old run files. */
class RunFileFormatTest {

  static List<Object> samples() {
    Response r0 = new Response("p1", 0, "there is a red circle. it is \"big\".", 42L, 9);
    Response r1 = new Response("p1", 1, "", -3L, 0);
    PolarQuestion q = new PolarQuestion(new Claim("there is a red circle."), "is there a red circle?");
    ScoredResponse s0 = new ScoredResponse(r0, List.of(new ClaimVerdict(q, 0.75, 0.125, false)));
    ScoredResponse s1 = new ScoredResponse(r1, List.of(new ClaimVerdict(q, 0.0, 0.01, true)));
    return List.of(
        new PromptResponses("p1", List.of(r0, r1)),
        new PromptScores("p1", List.of(s0, s1)),
        new PairRecord("p1", s0, s1, new PairProvenance("run-1", 2, "policy-1", "policy-1", 7, -9)),
        new TrainingMetrics(4, 0.25, Map.of("rewards/margins", 0.5, "loss", 0.625)),
        new Checkpoint("policy-2", Path.of("iter-2/train/checkpoint-1")));
  }

  @Test
  void linesMatchTheGoldenFile() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Object o : samples()) {
      sb.append(Json.toJson(o)).append('\n');
    }
    String golden;
    try (InputStream in = getClass().getResourceAsStream("run-files.golden.jsonl")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(golden, sb.toString());
  }

  @Test
  void goldenLinesReadBackEqual() {
    List<Object> samples = samples();
    for (Object o : samples) {
      assertEquals(o, Json.fromJson(Json.toJson(o), o.getClass()));
    }
  }
}
