package org.rlaifv.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model directory in a fresh JVM and prints resident memory: the baseline once the engine
 * is up, the peak (VmHWM) after loading, and the model's float32 size, as {@code key=value} lines.
 */
public final class LoadMemoryProbe {
  private LoadMemoryProbe() {}

  /**
   * Runs the probe.
   *
   * @param args the model directory
   * @throws IOException when /proc cannot be read
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      m.ones(new Shape(4, 4)).matMul(m.ones(new Shape(4, 4))).toFloatArray();
    }
    long base = status("VmRSS");
    long t0 = System.nanoTime();
    try (VlmModel model = VlmModel.load(dir, Device.cpu())) {
      long peak = status("VmHWM");
      System.out.println("baseline_rss_kb=" + base);
      System.out.println("peak_rss_kb=" + peak);
      System.out.println("f32_bytes=" + HfWeights.float32Bytes(model.config()));
      System.out.println("parameters=" + model.parameterCount());
      System.out.println("load_seconds=" + (System.nanoTime() - t0) / 1e9);
    }
  }

  static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException(field + " not in /proc/self/status");
  }
}
