package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    Map<String, String> r =
        LoadMemoryTest.probe(ExportMemoryProbe.class, model.toString(), out.toString(), "0");
    long f32 = Long.parseLong(r.get("f32_bytes"));
    long grown =
        (Long.parseLong(r.get("peak_rss_kb")) - Long.parseLong(r.get("baseline_rss_kb"))) * 1024;
    assertTrue(grown <= 2 * f32,
        "resident memory grew by " + (grown >> 20) + " MB exporting " + (f32 >> 20)
            + " MB of float32");
    long data = Files.size(out.resolve(OnnxExporter.DECODER + OnnxExporter.EXTERNAL_DATA_SUFFIX));
    assertTrue(data < f32, "the decoders share one data file of " + (data >> 20) + " MB");
  }
}
