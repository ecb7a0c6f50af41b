package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;

class LrSchedulerTest {

  @Test
  void warmupRisesLinearlyToThePeak() {
    LrScheduler s = new LrScheduler(LrSchedule.COSINE, 1.0, 100, 0.1);
    assertEquals(10, s.warmupSteps());
    for (int k = 1; k <= 10; k++) {
      assertEquals(k / 10.0, s.rate(k), 1e-12);
    }
    assertEquals(1.0, s.rate(11), 1e-12);
  }

  @Test
  void cosineDecaysToNearZeroAtTheEnd() {
    LrScheduler s = new LrScheduler(LrSchedule.COSINE, 2.0, 100, 0.0);
    assertEquals(2.0, s.rate(1), 1e-12);
    assertEquals(1.0, s.rate(51), 1e-9); // progress 50 / 100
    assertTrue(s.rate(100) > 0 && s.rate(100) < 0.01);
    for (int k = 2; k <= 100; k++) {
      assertTrue(s.rate(k) < s.rate(k - 1));
    }
  }

  @Test
  void linearDecaysByEqualSteps() {
    LrScheduler s = new LrScheduler(LrSchedule.LINEAR, 1.0, 14, 2.0 / 14);
    assertEquals(2, s.warmupSteps());
    assertEquals(0.5, s.rate(1), 1e-12);
    assertEquals(1.0, s.rate(3), 1e-12);
    assertEquals(1.0 - 11.0 / 12.0, s.rate(14), 1e-12);
    assertEquals(s.rate(5) - s.rate(6), s.rate(9) - s.rate(10), 1e-12);
  }

  @Test
  void constantStaysAtThePeakAfterWarmup() {
    LrScheduler s = new LrScheduler(LrSchedule.CONSTANT, 3e-4, 10, 0.2);
    assertEquals(1.5e-4, s.rate(1), 1e-15);
    for (int k = 2; k <= 10; k++) {
      assertEquals(3e-4, s.rate(k), 1e-15);
    }
  }

  @Test
  void singleStepRunsAtThePeak() {
    assertEquals(1.0, new LrScheduler(LrSchedule.LINEAR, 1.0, 1, 0.5).rate(1), 1e-12);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(InvalidInputException.class, () -> new LrScheduler(LrSchedule.LINEAR, 0, 10, 0));
    assertThrows(InvalidInputException.class, () -> new LrScheduler(LrSchedule.LINEAR, 1, 0, 0));
    assertThrows(InvalidInputException.class, () -> new LrScheduler(LrSchedule.LINEAR, 1, 10, 1));
    LrScheduler s = new LrScheduler(LrSchedule.LINEAR, 1, 10, 0);
    assertThrows(IllegalArgumentException.class, () -> s.rate(0));
    assertThrows(IllegalArgumentException.class, () -> s.rate(11));
  }
}
