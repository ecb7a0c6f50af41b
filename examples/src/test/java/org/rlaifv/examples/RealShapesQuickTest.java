package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.internal.bench.RealShapes;

/**
 * Runs {@code bench --real-shapes --quick} end to end (each backend in a child JVM) and checks the
 * {@code real_shapes} figures in bench.json; and the ONNX Runtime half in-process on the
 * architecture every export covers. Speeds are not asserted, only that each figure was measured.
 */
@Tag("e2e")
class RealShapesQuickTest {
  private static final List<String> FIGURES = List.of("prefill_s", "prefill_mfu",
      "judge_claims_per_s", "sampler_tokens_per_s", "decode_bandwidth_fraction",
      "text_tokens_per_s", "peak_rss_mb", "matmul_gflops", "bandwidth_gbs");

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
    if (!onnx.has("unavailable")) {
      for (String f : FIGURES) {
        if (!f.equals("text_tokens_per_s") || !onnx.has("text_unavailable")) {
          positive(onnx, f);
        }
      }
    }
  }

  @Test
  void onnxHalfMeasuresAnExportedModel(@TempDir Path tmp) {
    RealShapesBench.Workload w =
        RealShapesBench.Workload.of(true, 1).withSpec(RealShapes.quickBase());
    Map<String, Object> f = RealShapesBench.measureOne("onnx", w, tmp, null, null);
    for (String name : FIGURES) {
      if (!name.equals("text_tokens_per_s") || !f.containsKey("text_unavailable")) {
        assertTrue(f.get(name) instanceof Number n && n.doubleValue() > 0
            && Double.isFinite(n.doubleValue()), name + " in " + f);
      }
    }
  }

  private static void positive(JsonNode node, String field) {
    assertTrue(node != null && node.has(field), "missing " + field + " in " + node);
    double v = node.get(field).asDouble();
    assertTrue(v > 0 && Double.isFinite(v), field + " = " + v);
  }
}
