package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.export.OnnxExporter;

/**
 * Exporting a sharded BF16 model of about 0.5B parameters (Qwen2-0.5B text sizes) to ONNX, with
 * the weights in external-data files, holds the float32 model and one weight at a time: in a
 * fresh JVM, resident memory grows by at most 2x the float32 size. It writes about 4.5 GB and
 * takes minutes, so it runs only when asked: {@code mvn -pl rlaifv-djl verify
 * -Dtest=ExportMemoryTest -Drlaifv.memoryTests=true}.
 */
@Tag("e2e")
class ExportMemoryTest {
  @TempDir Path dir;

  @Test
  @EnabledOnOs(OS.LINUX)
  @EnabledIfSystemProperty(named = "rlaifv.memoryTests", matches = "true")
  void halfBillionParameterModelExportsWithinTwiceItsFloat32Size() throws Exception {
    Path model = dir.resolve("qwen05b");
    RandomHfModels.write(model, RandomHfModels.qwen05b(), 400L << 20);
    Path out = dir.resolve("onnx");
    Map<String, String> r = probe(model, out, 0);
    long f32 = Long.parseLong(r.get("f32_bytes"));
    long grown =
        (Long.parseLong(r.get("peak_rss_kb")) - Long.parseLong(r.get("baseline_rss_kb"))) * 1024;
    assertTrue(grown <= 2 * f32,
        "resident memory grew by " + (grown >> 20) + " MB exporting " + (f32 >> 20)
            + " MB of float32");
    long data = Files.size(out.resolve(OnnxExporter.DECODER + OnnxExporter.EXTERNAL_DATA_SUFFIX));
    assertTrue(data < f32, "the decoders share one data file of " + (data >> 20) + " MB");
  }

  static Map<String, String> probe(Path model, Path out, long externalAbove)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            "-Dai.djl.offline=true", ExportMemoryProbe.class.getName(), model.toString(),
            out.toString(), Long.toString(externalAbove));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), text);
    Map<String, String> r = new HashMap<>();
    for (String line : List.of(text.split("\n"))) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        r.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    assertTrue(r.containsKey("peak_rss_kb"), text);
    System.out.println("export memory probe: " + r);
    return r;
  }
}
