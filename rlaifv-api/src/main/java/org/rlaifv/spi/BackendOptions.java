package org.rlaifv.spi;

import java.util.Map;
import java.util.Objects;
import org.rlaifv.InvalidInputException;

/**
 * Options for creating a backend's roles.
 *
 * @param device {@code "cpu"}, {@code "cuda"}, {@code "cuda:N"} or {@code "auto"} (CUDA when
 *     visible, else CPU); a requested device that is absent is an error, never a silent fallback
 * @param threads intra-op threads; 0 for the backend's default (the djl backend: one thread, the
 *     fastest measured on a shared machine, unless the host set {@code ai.djl.pytorch.num_threads};
 *     the onnx backend: ONNX Runtime's choice)
 * @param abstainBelow judges mark a verdict abstained when {@code pYes + pNo} falls under this
 * @param batchSize largest number of sequences a role runs through the model at once
 * @param properties backend-specific settings (for example {@code "onnx.optimization"})
 */
public record BackendOptions(
    String device,
    int threads,
    double abstainBelow,
    int batchSize,
    Map<String, String> properties) {

  /** Default abstention threshold on the yes/no probability mass. */
  public static final double DEFAULT_ABSTAIN_BELOW = 0.05;

  /** Validates the fields. */
  public BackendOptions {
    Objects.requireNonNull(device, "device");
    if (!device.equals("cpu") && !device.equals("auto") && !device.matches("cuda(:\\d+)?")) {
      throw new InvalidInputException(
          "device must be cpu, cuda, cuda:N or auto, got '" + device + "'");
    }
    if (threads < 0) {
      throw new InvalidInputException("threads must be >= 0, got " + threads);
    }
    if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
      throw new InvalidInputException("abstainBelow must be in [0, 1], got " + abstainBelow);
    }
    if (batchSize < 1) {
      throw new InvalidInputException("batchSize must be >= 1, got " + batchSize);
    }
    properties = Map.copyOf(properties);
  }

  /**
   * Returns the defaults: CPU, the backend's default threads, abstain below 0.05, batches of 64.
   *
   * @return default options
   */
  public static BackendOptions defaults() {
    return new BackendOptions("cpu", 0, DEFAULT_ABSTAIN_BELOW, 64, Map.of());
  }

  /**
   * Returns a copy on another device.
   *
   * @param device cpu, cuda, cuda:N or auto
   * @return the new options
   */
  public BackendOptions withDevice(String device) {
    return new BackendOptions(device, threads, abstainBelow, batchSize, properties);
  }

  /**
   * Returns a copy with another thread count.
   *
   * @param threads intra-op threads, 0 for the backend's default
   * @return the new options
   */
  public BackendOptions withThreads(int threads) {
    return new BackendOptions(device, threads, abstainBelow, batchSize, properties);
  }

  /**
   * Returns a copy with another abstention threshold.
   *
   * @param abstainBelow threshold on pYes + pNo
   * @return the new options
   */
  public BackendOptions withAbstainBelow(double abstainBelow) {
    return new BackendOptions(device, threads, abstainBelow, batchSize, properties);
  }

  /**
   * Returns a copy with another batch size.
   *
   * @param batchSize sequences per model call
   * @return the new options
   */
  public BackendOptions withBatchSize(int batchSize) {
    return new BackendOptions(device, threads, abstainBelow, batchSize, properties);
  }

  /**
   * Returns a copy with one more backend-specific property.
   *
   * @param key property name
   * @param value property value
   * @return the new options
   */
  public BackendOptions withProperty(String key, String value) {
    var copy = new java.util.HashMap<>(properties);
    copy.put(key, value);
    return new BackendOptions(device, threads, abstainBelow, batchSize, copy);
  }
}
