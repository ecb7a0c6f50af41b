package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a sharded BF16 model of about 0.5B parameters (Qwen2-0.5B text sizes, newer key layout)
 * holds the float32 weights and little else: in a fresh JVM, resident memory grows by at most 1.3x
 * the float32 size plus 300 MB.
 */
@Tag("e2e")
class LoadMemoryTest {
  @TempDir Path dir;

  @Test
  @EnabledOnOs(OS.LINUX)
  void halfBillionParameterModelLoadsWithinBudget() throws Exception {
    Path model = dir.resolve("qwen05b");
    VlmConfig cfg = RandomHfModels.qwen05b();
    RandomHfModels.write(model, cfg, 400L << 20);
    Map<String, String> r = probe(LoadMemoryProbe.class, model.toString());
    long f32 = Long.parseLong(r.get("f32_bytes"));
    long grown = (Long.parseLong(r.get("peak_rss_kb")) - Long.parseLong(r.get("baseline_rss_kb"))) * 1024;
    assertTrue(f32 > 1.8e9, "about 0.5B parameters, got " + f32 / 4);
    assertTrue(grown <= 1.3 * f32 + (300L << 20),
        "resident memory grew by " + (grown >> 20) + " MB loading " + (f32 >> 20) + " MB of float32");
    assertEquals(f32 / 4, Long.parseLong(r.get("parameters")));
  }

  /** Runs a probe's main in a fresh JVM and returns the {@code key=value} lines it prints. */
  static Map<String, String> probe(Class<?> main, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), "-Dai.djl.offline=true", main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    Map<String, String> r = new HashMap<>();
    for (String line : List.of(out.split("\n"))) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        r.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    assertTrue(r.containsKey("peak_rss_kb"), out);
    System.out.println(main.getSimpleName() + ": " + r);
    return r;
  }
}
