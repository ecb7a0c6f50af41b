package org.rlaifv.djl.train;

import org.rlaifv.InvalidInputException;
import org.rlaifv.LoraConfig;
import org.rlaifv.LrSchedule;

/**
 * Configuration of a supervised fine-tuning run ({@link DjlSftTrainer}): AdamW, schedule, batch,
 * length of the run and seed.
 *
 * <pre>{@code
 * SftConfig cfg = SftConfig.builder().learningRate(1e-3).steps(1500).batchSize(64).build();
 * }</pre>
 *
 * @param learningRate peak learning rate, &gt; 0
 * @param schedule the learning-rate schedule
 * @param warmupRatio fraction of steps spent warming up, in [0, 1)
 * @param steps optimizer steps to run; 0 runs {@code epochs} passes instead, &gt;= 0
 * @param epochs passes over the examples when {@code steps} is 0, &gt;= 1
 * @param batchSize examples per optimizer step, &gt;= 1
 * @param maxGradNorm global gradient-norm clip; 0 disables
 * @param weightDecay AdamW decoupled weight decay, &gt;= 0
 * @param seed seed of the shuffling
 * @param logEvery steps between history entries and listener calls (the last step always reports), &gt;= 1
 * @param lora low-rank adapters to train instead of every parameter, or null (the default) to
 *     train every parameter
 */
public record SftConfig(
    double learningRate,
    LrSchedule schedule,
    double warmupRatio,
    int steps,
    int epochs,
    int batchSize,
    double maxGradNorm,
    double weightDecay,
    long seed,
    int logEvery,
    LoraConfig lora) {

  /**
   * Validates every field.
   *
   * @throws InvalidInputException naming the field that is invalid
   */
  public SftConfig {
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new InvalidInputException("SftConfig.learningRate is invalid: " + learningRate + " (peak learning rate, > 0)");
    }
    if (!(schedule != null)) {
      throw new InvalidInputException("SftConfig.schedule is invalid: " + schedule + " (the learning-rate schedule)");
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new InvalidInputException("SftConfig.warmupRatio is invalid: " + warmupRatio + " (fraction of steps spent warming up, in [0, 1))");
    }
    if (!(steps >= 0)) {
      throw new InvalidInputException("SftConfig.steps is invalid: " + steps + " (optimizer steps to run; 0 runs epochs passes instead, >= 0)");
    }
    if (!(epochs >= 1)) {
      throw new InvalidInputException("SftConfig.epochs is invalid: " + epochs + " (passes over the examples when steps is 0, >= 1)");
    }
    if (!(batchSize >= 1)) {
      throw new InvalidInputException("SftConfig.batchSize is invalid: " + batchSize + " (examples per optimizer step, >= 1)");
    }
    if (!(maxGradNorm >= 0 && Double.isFinite(maxGradNorm))) {
      throw new InvalidInputException("SftConfig.maxGradNorm is invalid: " + maxGradNorm + " (global gradient-norm clip; 0 disables)");
    }
    if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
      throw new InvalidInputException("SftConfig.weightDecay is invalid: " + weightDecay + " (AdamW decoupled weight decay, >= 0)");
    }
    if (!(logEvery >= 1)) {
      throw new InvalidInputException("SftConfig.logEvery is invalid: " + logEvery + " (steps between history entries and listener calls (the last step always reports), >= 1)");
    }
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this record's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .learningRate(learningRate)
        .schedule(schedule)
        .warmupRatio(warmupRatio)
        .steps(steps)
        .epochs(epochs)
        .batchSize(batchSize)
        .maxGradNorm(maxGradNorm)
        .weightDecay(weightDecay)
        .seed(seed)
        .logEvery(logEvery)
        .lora(lora);
  }

  /** Builder for {@link SftConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private double learningRate = 3e-4;
    private LrSchedule schedule = LrSchedule.COSINE;
    private double warmupRatio = 0.05;
    private int steps = 0;
    private int epochs = 1;
    private int batchSize = 32;
    private double maxGradNorm = 1.0;
    private double weightDecay = 0.0;
    private long seed = 0;
    private int logEvery = 10;
    private LoraConfig lora = null;

    private Builder() {}

    /**
     * Sets learningRate.
     *
     * @param learningRate peak learning rate, &gt; 0
     * @return this builder
     */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Sets schedule.
     *
     * @param schedule the learning-rate schedule
     * @return this builder
     */
    public Builder schedule(LrSchedule schedule) {
      this.schedule = schedule;
      return this;
    }

    /**
     * Sets warmupRatio.
     *
     * @param warmupRatio fraction of steps spent warming up, in [0, 1)
     * @return this builder
     */
    public Builder warmupRatio(double warmupRatio) {
      this.warmupRatio = warmupRatio;
      return this;
    }

    /**
     * Sets steps.
     *
     * @param steps optimizer steps to run; 0 runs {@code epochs} passes instead, &gt;= 0
     * @return this builder
     */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /**
     * Sets epochs.
     *
     * @param epochs passes over the examples when {@code steps} is 0, &gt;= 1
     * @return this builder
     */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /**
     * Sets batchSize.
     *
     * @param batchSize examples per optimizer step, &gt;= 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sets maxGradNorm.
     *
     * @param maxGradNorm global gradient-norm clip; 0 disables
     * @return this builder
     */
    public Builder maxGradNorm(double maxGradNorm) {
      this.maxGradNorm = maxGradNorm;
      return this;
    }

    /**
     * Sets weightDecay.
     *
     * @param weightDecay AdamW decoupled weight decay, &gt;= 0
     * @return this builder
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Sets seed.
     *
     * @param seed seed of the shuffling
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets logEvery.
     *
     * @param logEvery steps between history entries and listener calls (the last step always reports), &gt;= 1
     * @return this builder
     */
    public Builder logEvery(int logEvery) {
      this.logEvery = logEvery;
      return this;
    }

    /**
     * Sets the adapters to train, or null to train every parameter.
     *
     * @param lora low-rank adapter settings, or null
     * @return this builder
     */
    public Builder lora(LoraConfig lora) {
      this.lora = lora;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the configuration
     * @throws InvalidInputException naming an invalid field
     */
    public SftConfig build() {
      return new SftConfig(learningRate, schedule, warmupRatio, steps, epochs, batchSize, maxGradNorm, weightDecay, seed, logEvery, lora);
    }
  }
}
