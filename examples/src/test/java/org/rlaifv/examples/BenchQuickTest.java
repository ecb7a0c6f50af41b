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
 * Runs {@code bench --quick} end to end and checks bench.json: every documented figure is present
 * and positive, and the fast paths gave the same answers as the naive ones. Speeds themselves are
 * not asserted (they belong to the bench, not to a test).
 */
@Tag("e2e")
class BenchQuickTest {

  @Test
  void quickBenchWritesEveryFigure(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("bench");
    String text = CliRun.succeeds("bench", "--quick", "--out", out.toString());
    assertTrue(text.contains("wrote"), text);

    JsonNode root = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    assertTrue(root.get("quick").asBoolean());
    positive(root, "matmul_gflops");
    for (JsonNode model : List.of(root, root.get("shapesworld"))) {
      for (String f : List.of("claims_per_s_cached", "claims_per_s_naive", "speedup")) {
        positive(model.get("judge"), f);
      }
      assertTrue(model.get("judge").get("max_abs_prob_diff").asDouble() <= 1e-5,
          "cached and naive judging agree: " + model.get("judge"));
      for (String f : List.of("tokens_per_s_shared_prefill", "tokens_per_s_naive", "speedup")) {
        positive(model.get("sampler"), f);
      }
      assertEquals(0, model.get("sampler").get("samples_differing_from_naive").asInt(),
          "shared prefill samples the same tokens: " + model.get("sampler"));
      for (String f : List.of("pairs_per_s", "train_gflops", "mfu")) {
        positive(model.get("dpo"), f);
      }
      for (String f : List.of("judge_claims_per_s", "sampler_tokens_per_s", "judge_vs_djl",
          "sampler_vs_djl", "djl.judge_claims_per_s", "djl.sampler_tokens_per_s")) {
        positive(model.get("onnx"), f);
      }
    }
  }

  private static void positive(JsonNode node, String field) {
    assertTrue(node != null && node.has(field), "missing " + field + " in " + node);
    double v = node.get(field).asDouble();
    assertTrue(v > 0 && Double.isFinite(v), field + " = " + v);
  }
}
