package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

/**
 * PyTorch's intra-op thread count is process-wide: once a role set it, another role asking for a
 * different count is refused instead of silently changing the first role's speed.
 */
class DevicesThreadsTest {
  @Test
  void aSecondDifferentThreadCountIsRefused() {
    // the test JVM runs PyTorch with one thread (see the Surefire settings)
    Devices.applyThreads(1);
    assertEquals(1, Devices.appliedThreads());
    Devices.applyThreads(1);
    Devices.applyThreads(0);
    assertEquals(1, Devices.appliedThreads());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Devices.applyThreads(2));
    assertTrue(e.getMessage().contains("set it to 1") && e.getMessage().contains("asks for 2"),
        e.getMessage());
    assertEquals(1, Devices.appliedThreads());
  }

  @Test
  void theGpuProbeRunsOutOfProcessUnlessTheHostChose() {
    Devices.quietGpuProbe();
    assertEquals("true", System.getProperty("ai.djl.util.cuda.fork"));
  }
}
