package org.rlaifv.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.rlaifv.BackendException;

/** Resolves the device names of {@link org.rlaifv.spi.BackendOptions} to DJL devices. */
public final class Devices {
  private Devices() {}

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

  /**
   * Sets PyTorch's intra-op thread count (process-wide) when {@code threads} is positive; 0 leaves
   * the engine's choice.
   *
   * @param threads the thread count, or 0
   * @throws BackendException when the engine cannot be loaded
   */
  public static void applyThreads(int threads) {
    if (threads <= 0) {
      return;
    }
    try {
      Engine.getEngine("PyTorch");
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new BackendException("cannot set PyTorch threads to " + threads + ": " + e, e);
    }
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
