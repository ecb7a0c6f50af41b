package org.rlaifv.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.rlaifv.BackendException;
import org.rlaifv.InvalidInputException;

/** Resolves the device names of {@link org.rlaifv.spi.BackendOptions} to DJL devices. */
public final class Devices {
  /** DJL's switch that asks for the CUDA probe in a child JVM. */
  static final String CUDA_FORK = "ai.djl.util.cuda.fork";

  private Devices() {}

  /**
   * Makes DJL probe for CUDA devices in a child JVM, unless the host application chose otherwise.
   * In-process, the probe logs "Failed to detect GPU count" warnings on every machine that has a
   * CUDA runtime library but no usable GPU (several per model opened); the child's answer is the
   * same and its messages stay out of the application's log. Called before the engine loads.
   */
  public static void quietGpuProbe() {
    synchronized (System.class) {
      if (System.getProperty(CUDA_FORK) == null) {
        System.setProperty(CUDA_FORK, "true");
      }
    }
  }

  /**
   * Returns the number of CUDA devices the PyTorch engine sees (0 when none or when the engine
   * cannot tell).
   *
   * @return the GPU count
   */
  public static int gpuCount() {
    try {
      return Engine.getEngine("PyTorch").getGpuCount();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return 0;
    }
  }

  /** The intra-op thread count used when neither the options nor the host chose one. */
  public static final int DEFAULT_THREADS = 1;

  /** The intra-op thread count this process set, 0 while none was set. */
  private static int appliedThreads;

  /**
   * Sets PyTorch's intra-op thread count, which is process-wide: every model of every djl role in
   * this JVM shares it. The first positive setting takes effect; a later request for the same
   * count, or for 0 (keep whatever is set), is accepted; a later, different count is refused rather
   * than silently slowing down (or speeding up) the roles opened before it.
   *
   * @param threads the thread count, or 0 to keep the current setting ({@link #DEFAULT_THREADS}
   *     when nothing was set and the host did not set {@code ai.djl.pytorch.num_threads})
   * @throws InvalidInputException when another positive count was set before
   * @throws BackendException when the engine cannot be loaded
   */
  public static synchronized void applyThreads(int threads) {
    if (threads <= 0) {
      if (appliedThreads > 0 || System.getProperty("ai.djl.pytorch.num_threads") != null) {
        return;
      }
      // The default: one intra-op thread. On a shared 2-core machine the engine's default of one
      // thread per core was 7x to 14x slower for judging and sampling (docs/backends.md).
      threads = DEFAULT_THREADS;
    }
    if (threads == appliedThreads) {
      return;
    }
    if (appliedThreads > 0) {
      throw new InvalidInputException(
          "PyTorch's intra-op thread count is process-wide and a djl role opened earlier set it to "
              + appliedThreads + "; this one asks for " + threads + ". Open every djl role of a"
              + " process with the same BackendOptions.threads, or 0 to keep the current setting");
    }
    try {
      Engine.getEngine("PyTorch");
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
      appliedThreads = threads;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new BackendException("cannot set PyTorch threads to " + threads + ": " + e, e);
    }
  }

  /**
   * Returns the intra-op thread count this process set through {@link #applyThreads}.
   *
   * @return the count, or 0 when none was set (the engine's choice)
   */
  public static synchronized int appliedThreads() {
    return appliedThreads;
  }

  /**
   * Resolves a device name: {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (the first
   * GPU when one is visible, else the CPU).
   *
   * @param name the device name
   * @return the DJL device
   * @throws BackendException when CUDA was requested but no such GPU is visible, or the name is
   *     unknown
   */
  public static Device resolve(String name) {
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    int gpus = gpuCount();
    if (name.equals("auto")) {
      return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (name.equals("cuda") || name.startsWith("cuda:")) {
      int index = name.equals("cuda") ? 0 : Integer.parseInt(name.substring(5));
      if (index >= gpus) {
        throw new BackendException(
            "device " + name + " was requested but the PyTorch engine sees " + gpus
                + " CUDA device(s); use device \"cpu\" or \"auto\", or install the CUDA build of"
                + " PyTorch");
      }
      return Device.gpu(index);
    }
    throw new BackendException("unknown device '" + name + "'; use cpu, cuda, cuda:N or auto");
  }
}
