package org.rlaifv.djl.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.rlaifv.BackendException;
import org.rlaifv.spi.BackendOptions;

/** Maps {@link BackendOptions#device()} to a DJL device; an absent GPU is an error. */
final class Devices {
  private Devices() {}

  static Device resolve(String device) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    if (device.equals("auto")) {
      return gpus > 0 ? Device.gpu() : Device.cpu();
    }
    int index = device.equals("cuda") ? 0 : Integer.parseInt(device.substring("cuda:".length()));
    if (index >= gpus) {
      throw new BackendException(
          "device " + device + " requested but PyTorch sees " + gpus + " CUDA device(s)");
    }
    return Device.gpu(index);
  }
}
