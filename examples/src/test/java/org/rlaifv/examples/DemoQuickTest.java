package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code demo --quick} end to end on the shipped checkpoints (real sampling, labeler, DPO)
 * and checks that hallucination went down and that report.json has the documented schema; then
 * runs it again on the finished run directory and checks that the report comes out the same.
 */
@Tag("e2e")
class DemoQuickTest {

  @Test
  void quickDemoLowersHallucinationAndWritesTheReport(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("demo");
    String text = CliRun.succeeds("demo", "--quick", "--out", out.toString());
    assertTrue(text.contains("CHAIR_i"), text);

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertTrue(report.get("config").isObject());
    assertTrue(report.get("config").get("quick").asBoolean());
    JsonNode its = report.get("iterations");
    assertTrue(its.isArray() && its.size() >= 2, "iteration 0 and at least one more");
    for (int i = 0; i < its.size(); i++) {
      JsonNode it = its.get(i);
      assertEquals(i, it.get("iteration").asInt());
      for (String f : List.of("chair_i", "chair_s", "coverage", "labeler_accuracy")) {
        double v = it.get(f).asDouble(-1);
        assertTrue(v >= 0 && v <= 1, f + " is a rate: " + v);
      }
      assertTrue(it.get("mean_words").asDouble() > 0);
      assertTrue(it.get("pairs").isInt());
      assertTrue(it.get("seconds").isNumber());
    }
    JsonNode sft = its.get(0);
    JsonNode last = its.get(its.size() - 1);
    assertTrue(sft.get("chair_i").asDouble() > 0.05, "the SFT policy hallucinates: " + sft);
    assertTrue(last.get("pairs").asInt() > 0, "the labeler produced pairs: " + last);
    assertTrue(last.get("chair_i").asDouble() < sft.get("chair_i").asDouble(),
        "CHAIR_i went down: " + sft.get("chair_i") + " -> " + last.get("chair_i"));
    assertTrue(last.get("chair_s").asDouble() < sft.get("chair_s").asDouble(),
        "CHAIR_s went down: " + sft.get("chair_s") + " -> " + last.get("chair_s"));
    assertTrue(report.get("labeler").get("accuracy").asDouble() > 0.5);
    assertTrue(Files.size(out.resolve("report.png")) > 1000);
    JsonNode candidates = report.get("validation_candidates");
    for (int k = 1; k < its.size(); k++) {
      int iteration = k;
      assertTrue(java.util.stream.StreamSupport.stream(candidates.spliterator(), false)
          .anyMatch(c -> c.get("iteration").asInt() == iteration && c.get("selected").asBoolean()),
          "iteration " + k + " has its validation candidates: " + candidates);
    }

    // Run again on the finished run directory: every iteration is read back, and the report,
    // rebuilt from the run directory, is the same (figures and validation candidates).
    CliRun.succeeds("demo", "--quick", "--out", out.toString());
    JsonNode again = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals(candidates, again.get("validation_candidates"));
    for (int i = 0; i < its.size(); i++) {
      for (String f : List.of("chair_i", "chair_s", "coverage", "pairs", "checkpoint")) {
        assertEquals(its.get(i).get(f), again.get("iterations").get(i).get(f), f + " of row " + i);
      }
    }
  }
}
