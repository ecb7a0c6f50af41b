package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the hard world's demo paths in their quick form on the shipped hard checkpoints: the method
 * with best-of-N, self-feedback, rating scoring, and a three-variant ablation (with holistic
 * scoring) on one seed; checks the reports' schema (every kind's error rate, coverage, pairs per
 * iteration).
 */
@Tag("e2e")
class HardDemoQuickTest {

  private static final List<String> RATES = List.of("chair_i", "chair_s", "count_error",
      "attribute_error", "relation_error", "any_error", "false_claim_rate", "coverage",
      "labeler_accuracy");

  @Test
  void quickHardDemoMeasuresEveryKindAndRanksBestOfN(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("hard");
    String text = CliRun.succeeds("demo", "--world", "hard", "--quick", "--best-of-n", "1,2",
        "--out", out.toString());
    assertTrue(text.contains("relation"), text);
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("hard", report.get("config").get("world").asText());
    assertTrue(report.get("config").get("length_balancing").asBoolean());
    assertTrue(report.get("config").get("pair_selector").asText().contains("length-balanced"),
        report.get("config").toString());
    JsonNode its = report.get("iterations");
    assertEquals(2, its.size());
    for (JsonNode it : its) {
      for (String f : RATES) {
        double v = it.get(f).asDouble(-1);
        assertTrue(v >= 0 && v <= 1, f + " is a rate: " + v);
      }
    }
    JsonNode sft = its.get(0);
    assertTrue(sft.get("false_claim_rate").asDouble() > 0.05, "the SFT policy errs: " + sft);
    assertTrue(its.get(1).get("pairs").asInt() > 0, "the labeler formed pairs: " + its);
    JsonNode audit = report.get("pair_audit");
    double right = audit.get("pairs_chosen_fewer_false_claims").asDouble(-1);
    double wrong = audit.get("pairs_chosen_more_false_claims").asDouble(-1);
    double tied = audit.get("pairs_false_claims_tied").asDouble(-1);
    assertEquals(1.0, right + wrong + tied, 1e-9, "shares of the pairs: " + audit);
    for (String n : List.of("n1", "n2")) {
      for (String how : List.of("implicit_reward", "labeler", "random")) {
        assertTrue(report.get("best_of_n").get(n).get(how).get("coverage").isNumber(), n + how);
      }
    }
    // With one sample, every way of choosing keeps it.
    JsonNode n1 = report.get("best_of_n").get("n1");
    assertEquals(n1.get("random"), n1.get("implicit_reward"));
    assertEquals(n1.get("random"), n1.get("labeler"));
  }

  @Test
  void selfFeedbackFormsPairsFromThePolicysOwnVerdicts(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("self");
    CliRun.succeeds("demo", "--world", "hard", "--quick", "--self-feedback", "--out",
        out.toString());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertEquals("self", report.get("labeler").get("judge").asText());
    JsonNode its = report.get("iterations");
    assertTrue(its.get(1).get("pairs").asInt() > 0, "self-feedback formed pairs: " + its);
  }

  @Test
  void quickAblationsSummariseEveryVariantAcrossSeeds(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("abl");
    String text = CliRun.succeeds("demo", "--world", "hard", "--quick", "--ablations",
        "rlaifv,one_shot,holistic", "--seeds", "0", "--best-of-n", "1", "--out",
        out.toString());
    assertTrue(text.contains("| one_shot |"), text);
    assertTrue(text.contains("| holistic |"), text);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("ablations.json").toFile());
    JsonNode method = summary.get("variants").get("rlaifv");
    JsonNode oneShot = summary.get("variants").get("one_shot");
    assertEquals(0.0, method.get("chair_i_sd").asDouble());
    assertTrue(oneShot.get("pairs_mean").asDouble() <= method.get("pairs_mean").asDouble(),
        "one-shot trains on at most the method's pairs: " + summary);
    assertEquals(1, oneShot.get("runs").size());
    // Holistic scoring trains on at most the method's pairs (one quick iteration).
    JsonNode holistic = summary.get("variants").get("holistic");
    assertTrue(holistic.get("pairs_mean").asDouble() > 0, "p_yes scores pair: " + summary);
    assertTrue(holistic.get("pairs_mean").asDouble() <= method.get("pairs_mean").asDouble(),
        "holistic trains on at most the method's pairs: " + summary);
    JsonNode config = new ObjectMapper().readTree(
        out.resolve("seed-0").resolve("holistic").resolve("report.json").toFile()).get("config");
    assertTrue(config.get("scoring").asText().startsWith("holistic"), config.toString());
  }

  @Test
  void ratingScoringFormsPairsFromExpectedRatings(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("rating");
    CliRun.succeeds("demo", "--world", "hard", "--quick", "--scoring", "rating",
        "--max-pairs-per-iteration", "20", "--out", out.toString());
    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertTrue(report.get("config").get("scoring").asText().startsWith("rating"),
        report.get("config").toString());
    int pairs = report.get("iterations").get(1).get("pairs").asInt();
    assertTrue(pairs > 0 && pairs <= 20, "rating formed at most 20 pairs: " + pairs);
  }

  @Test
  void wholeAnswerScoringNeedsAModelJudge() {
    CliRun.assertOneLineError(CliRun.run("demo", "--world", "hard", "--quick", "--scoring",
        "rating", "--feedback", "oracle"), 2, "model judge");
    CliRun.assertOneLineError(CliRun.run("demo", "--world", "hard", "--quick", "--scoring",
        "overall"), 2, "--scoring");
    CliRun.assertOneLineError(CliRun.run("demo", "--quick", "--scoring", "holistic"), 2,
        "--world hard");
  }

  @Test
  void hardWorldOptionsNeedTheHardWorld() {
    CliRun.assertOneLineError(CliRun.run("demo", "--self-feedback", "--quick"), 2,
        "--world hard");
  }
}
