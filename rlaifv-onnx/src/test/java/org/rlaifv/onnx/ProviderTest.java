package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlaifv.UnsupportedCapabilityException;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import org.rlaifv.spi.Capability;

/** The backend is registered as {@code onnx}, infers, and refuses to train. */
class ProviderTest {
  @Test
  void registeredWithInferenceCapabilities() {
    BackendProvider p = Backends.get("onnx");
    assertInstanceOf(OnnxBackendProvider.class, p);
    assertTrue(p.hasCapability(Capability.SAMPLING));
    assertTrue(p.hasCapability(Capability.JUDGING));
    assertTrue(p.hasCapability(Capability.KV_CACHE));
    assertFalse(p.hasCapability(Capability.TRAINING));
  }

  @Test
  void trainingFailsAtOnceNamingDjl() {
    UnsupportedCapabilityException e =
        assertThrows(
            UnsupportedCapabilityException.class,
            () -> Backends.get("onnx").newDpoTrainer(BackendOptions.defaults()));
    assertTrue(e.getMessage().contains("TRAINING"), e.getMessage());
    assertTrue(e.getMessage().contains("djl"), e.getMessage());
  }
}
