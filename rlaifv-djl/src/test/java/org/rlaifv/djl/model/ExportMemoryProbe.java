package org.rlaifv.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import org.rlaifv.djl.export.OnnxExporter;

/**
 * Exports a model directory to ONNX in a fresh JVM and prints resident memory: the baseline once
 * the engine is up, the peak (VmHWM) after the export, and the model's float32 size, as {@code
 * key=value} lines.
 */
public final class ExportMemoryProbe {
  private ExportMemoryProbe() {}

  /**
   * Runs the probe.
   *
   * @param args the model directory, the output directory and the external-data threshold
   * @throws IOException when /proc cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      m.ones(new Shape(4, 4)).matMul(m.ones(new Shape(4, 4))).toFloatArray();
    }
    long base = LoadMemoryProbe.status("VmRSS");
    long t0 = System.nanoTime();
    OnnxExporter.export(dir, Path.of(args[1]), Long.parseLong(args[2]));
    System.out.println("baseline_rss_kb=" + base);
    System.out.println("peak_rss_kb=" + LoadMemoryProbe.status("VmHWM"));
    System.out.println("f32_bytes="
        + HfWeights.float32Bytes(VlmConfig.read(dir.resolve(VlmConfig.FILE_NAME))));
    System.out.println("export_seconds=" + (System.nanoTime() - t0) / 1e9);
  }
}
