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
 * Runs {@code bench --real-shapes --quick} end to end (the models written, exported to ONNX, each
 * backend measured in a child JVM) and checks the {@code real_shapes} figures in bench.json.
 * Speeds are not asserted, only that each figure was measured.
 */
@Tag("e2e")
class RealShapesQuickTest {
  private static final List<String> FIGURES = List.of("prefill_s", "prefill_mfu",
      "judge_claims_per_s", "sampler_tokens_per_s", "decode_bandwidth_fraction",
      "text_tokens_per_s", "peak_rss_mb", "matmul_gflops", "bandwidth_gbs",
      "rows_matmul_gflops", "decode_rate_gflops");

  @Test
  void quickRunWritesTheSectionBesideEarlierFigures(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("bench");
    Files.createDirectories(out);
    Files.writeString(out.resolve("bench.json"), "{\"matmul_gflops\": 1.5}");
    String text = CliRun.succeeds("bench", "--real-shapes", "--quick", "--threads", "1",
        "--out", out.toString(), "--cache", tmp.resolve("cache").toString());
    assertTrue(text.contains("wrote"), text);

    JsonNode root = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    assertEquals(1.5, root.get("matmul_gflops").asDouble(), "earlier figures are kept");
    JsonNode section = root.get("real_shapes");
    assertTrue(section.get("quick").asBoolean());
    JsonNode djl = section.get("djl");
    for (String f : FIGURES) {
      positive(djl, f);
    }
    assertEquals(1, djl.get("engine_threads").asInt());
    assertTrue(djl.get("sampler_full_length").asBoolean(), djl.toString());
    JsonNode onnx = section.get("onnx");
    for (String f : FIGURES) {
      positive(onnx, f);
    }
    assertTrue(onnx.get("sampler_full_length").asBoolean(), onnx.toString());
  }

  private static void positive(JsonNode node, String field) {
    assertTrue(node != null && node.has(field), "missing " + field + " in " + node);
    double v = node.get(field).asDouble();
    assertTrue(v > 0 && Double.isFinite(v), field + " = " + v);
  }
}
