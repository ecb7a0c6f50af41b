package org.rlaifv.djl.train;

import java.util.Objects;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;

/**
 * Learning rate as a function of the optimizer step: linear warmup over the first {@code
 * ceil(warmupRatio * totalSteps)} steps, then constant, linear decay or cosine decay.
 *
 * <p>Steps are 1-based. Warmup step {@code k} uses {@code peak * k / W}, so the first step already
 * moves the weights and step {@code W} runs at the peak. After warmup the decay progress of step
 * {@code k} is {@code p = (k - W - 1) / (total - W)}: the first step after warmup runs at the peak
 * and the last one just above 0 (no step is wasted at rate 0). {@link LrSchedule#CONSTANT} warms up
 * as well when the ratio is positive, as its documentation allows.
 *
 * <pre>{@code
 * LrScheduler lr = new LrScheduler(LrSchedule.COSINE, 5e-5, 300, 0.1);
 * double rate = lr.rate(step);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LrScheduler {
  private final LrSchedule schedule;
  private final double peak;
  private final long totalSteps;
  private final long warmupSteps;

  /**
   * Creates a schedule.
   *
   * @param schedule the decay shape
   * @param peak the peak learning rate, finite and &gt; 0
   * @param totalSteps the number of optimizer steps of the run, &gt;= 1
   * @param warmupRatio fraction of the steps spent warming up, in [0, 1)
   * @throws InvalidInputException when an argument is out of range
   */
  public LrScheduler(LrSchedule schedule, double peak, long totalSteps, double warmupRatio) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    if (!(peak > 0 && Double.isFinite(peak))) {
      throw new InvalidInputException("learning rate must be finite and > 0, got " + peak);
    }
    if (totalSteps < 1) {
      throw new InvalidInputException("a schedule needs at least one step, got " + totalSteps);
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new InvalidInputException("warmup ratio must be in [0, 1), got " + warmupRatio);
    }
    this.peak = peak;
    this.totalSteps = totalSteps;
    this.warmupSteps = Math.min(totalSteps - 1, (long) Math.ceil(warmupRatio * totalSteps));
  }

  /**
   * Returns the learning rate of one optimizer step.
   *
   * @param step the 1-based optimizer step, in {@code [1, totalSteps]}
   * @return the rate, in {@code (0, peak]}
   * @throws IllegalArgumentException when the step is outside the run
   */
  public double rate(long step) {
    if (step < 1 || step > totalSteps) {
      throw new IllegalArgumentException(
          "step " + step + " is outside the schedule's 1.." + totalSteps);
    }
    if (step <= warmupSteps) {
      return peak * step / warmupSteps;
    }
    double progress = (double) (step - warmupSteps - 1) / (totalSteps - warmupSteps);
    return switch (schedule) {
      case CONSTANT -> peak;
      case LINEAR -> peak * (1.0 - progress);
      case COSINE -> peak * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * Returns the number of warmup steps.
   *
   * @return {@code min(totalSteps - 1, ceil(warmupRatio * totalSteps))}
   */
  public long warmupSteps() {
    return warmupSteps;
  }

  /**
   * Returns the number of steps of the run.
   *
   * @return the total, &gt;= 1
   */
  public long totalSteps() {
    return totalSteps;
  }
}
