package org.rlaifv;

/**
 * Configuration of one DPO training run: loss, optimiser, schedule, batching and seed.
 *
 * <p>Defaults follow RLAIF-V: sigmoid loss, beta = 0.1, no NLL term, summed log-probs.
 *
 * <pre>{@code
 * DpoConfig cfg = DpoConfig.builder().beta(0.1).nllWeight(1.0).learningRate(5e-5).epochs(3).build();
 * }</pre>
 *
 * @param beta the DPO temperature beta, > 0
 * @param lossType the loss variant
 * @param labelSmoothing eps for ROBUST and LABEL_SMOOTHED, in [0, 0.5)
 * @param nllWeight weight of the NLL term on the chosen response (per-token mean), >= 0
 * @param lengthAveraged whether sequence log-probs are averaged over response tokens instead of summed
 * @param learningRate peak learning rate, > 0
 * @param schedule the learning-rate schedule
 * @param warmupRatio fraction of steps spent warming up, in [0, 1)
 * @param epochs passes over the pairs, >= 1
 * @param batchSize pairs per micro-batch, >= 1
 * @param gradAccumulationSteps micro-batches per optimizer step, >= 1
 * @param maxGradNorm global gradient-norm clip; 0 disables
 * @param weightDecay AdamW decoupled weight decay, >= 0
 * @param seed seed of shuffling and dropout
 * @param checkpointsPerEpoch checkpoints written per epoch (the reference writes 4), >= 1
 * @param lora low-rank adapters to train instead of every parameter, or null (the default) to
 *     train every parameter; with adapters the DPO reference is the base with the adapters off
 */
public record DpoConfig(
    double beta,
    DpoLossType lossType,
    double labelSmoothing,
    double nllWeight,
    boolean lengthAveraged,
    double learningRate,
    LrSchedule schedule,
    double warmupRatio,
    int epochs,
    int batchSize,
    int gradAccumulationSteps,
    double maxGradNorm,
    double weightDecay,
    long seed,
    int checkpointsPerEpoch,
    LoraConfig lora) {

  /**
   * Validates every field.
   *
   * @throws InvalidInputException naming the field that is invalid
   */
  public DpoConfig {
    if (!(beta > 0 && Double.isFinite(beta))) {
      throw new InvalidInputException("DpoConfig.beta is invalid: " + beta + " (the DPO temperature beta, > 0)");
    }
    if (!(lossType != null)) {
      throw new InvalidInputException("DpoConfig.lossType is invalid: " + lossType + " (the loss variant)");
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new InvalidInputException("DpoConfig.labelSmoothing is invalid: " + labelSmoothing + " (eps for ROBUST and LABEL_SMOOTHED, in [0, 0.5))");
    }
    if (!(nllWeight >= 0 && Double.isFinite(nllWeight))) {
      throw new InvalidInputException("DpoConfig.nllWeight is invalid: " + nllWeight + " (weight of the NLL term on the chosen response (per-token mean), >= 0)");
    }
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new InvalidInputException("DpoConfig.learningRate is invalid: " + learningRate + " (peak learning rate, > 0)");
    }
    if (!(schedule != null)) {
      throw new InvalidInputException("DpoConfig.schedule is invalid: " + schedule + " (the learning-rate schedule)");
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw new InvalidInputException("DpoConfig.warmupRatio is invalid: " + warmupRatio + " (fraction of steps spent warming up, in [0, 1))");
    }
    if (!(epochs >= 1)) {
      throw new InvalidInputException("DpoConfig.epochs is invalid: " + epochs + " (passes over the pairs, >= 1)");
    }
    if (!(batchSize >= 1)) {
      throw new InvalidInputException("DpoConfig.batchSize is invalid: " + batchSize + " (pairs per micro-batch, >= 1)");
    }
    if (!(gradAccumulationSteps >= 1)) {
      throw new InvalidInputException("DpoConfig.gradAccumulationSteps is invalid: " + gradAccumulationSteps + " (micro-batches per optimizer step, >= 1)");
    }
    if (!(maxGradNorm >= 0)) {
      throw new InvalidInputException("DpoConfig.maxGradNorm is invalid: " + maxGradNorm + " (global gradient-norm clip; 0 disables)");
    }
    if (!(weightDecay >= 0)) {
      throw new InvalidInputException("DpoConfig.weightDecay is invalid: " + weightDecay + " (AdamW decoupled weight decay, >= 0)");
    }
    if (!(checkpointsPerEpoch >= 1)) {
      throw new InvalidInputException("DpoConfig.checkpointsPerEpoch is invalid: " + checkpointsPerEpoch + " (checkpoints written per epoch (the reference writes 4), >= 1)");
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
        .beta(beta)
        .lossType(lossType)
        .labelSmoothing(labelSmoothing)
        .nllWeight(nllWeight)
        .lengthAveraged(lengthAveraged)
        .learningRate(learningRate)
        .schedule(schedule)
        .warmupRatio(warmupRatio)
        .epochs(epochs)
        .batchSize(batchSize)
        .gradAccumulationSteps(gradAccumulationSteps)
        .maxGradNorm(maxGradNorm)
        .weightDecay(weightDecay)
        .seed(seed)
        .checkpointsPerEpoch(checkpointsPerEpoch)
        .lora(lora);
  }

  /** Builder for {@link DpoConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private double beta = 0.1;
    private DpoLossType lossType = DpoLossType.SIGMOID;
    private double labelSmoothing = 0.0;
    private double nllWeight = 0.0;
    private boolean lengthAveraged = false;
    private double learningRate = 5e-5;
    private LrSchedule schedule = LrSchedule.COSINE;
    private double warmupRatio = 0.1;
    private int epochs = 1;
    private int batchSize = 8;
    private int gradAccumulationSteps = 1;
    private double maxGradNorm = 1.0;
    private double weightDecay = 0.0;
    private long seed = 0;
    private int checkpointsPerEpoch = 1;
    private LoraConfig lora = null;

    private Builder() {}

    /**
     * Sets beta.
     *
     * @param beta the DPO temperature beta, > 0
     * @return this builder
     */
    public Builder beta(double beta) {
      this.beta = beta;
      return this;
    }

    /**
     * Sets lossType.
     *
     * @param lossType the loss variant
     * @return this builder
     */
    public Builder lossType(DpoLossType lossType) {
      this.lossType = lossType;
      return this;
    }

    /**
     * Sets labelSmoothing.
     *
     * @param labelSmoothing eps for ROBUST and LABEL_SMOOTHED, in [0, 0.5)
     * @return this builder
     */
    public Builder labelSmoothing(double labelSmoothing) {
      this.labelSmoothing = labelSmoothing;
      return this;
    }

    /**
     * Sets nllWeight.
     *
     * @param nllWeight weight of the NLL term on the chosen response (per-token mean), >= 0
     * @return this builder
     */
    public Builder nllWeight(double nllWeight) {
      this.nllWeight = nllWeight;
      return this;
    }

    /**
     * Sets lengthAveraged.
     *
     * @param lengthAveraged whether sequence log-probs are averaged over response tokens instead of summed
     * @return this builder
     */
    public Builder lengthAveraged(boolean lengthAveraged) {
      this.lengthAveraged = lengthAveraged;
      return this;
    }

    /**
     * Sets learningRate.
     *
     * @param learningRate peak learning rate, > 0
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
     * Sets epochs.
     *
     * @param epochs passes over the pairs, >= 1
     * @return this builder
     */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /**
     * Sets batchSize.
     *
     * @param batchSize pairs per micro-batch, >= 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sets gradAccumulationSteps.
     *
     * @param gradAccumulationSteps micro-batches per optimizer step, >= 1
     * @return this builder
     */
    public Builder gradAccumulationSteps(int gradAccumulationSteps) {
      this.gradAccumulationSteps = gradAccumulationSteps;
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
     * @param weightDecay AdamW decoupled weight decay, >= 0
     * @return this builder
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Sets seed.
     *
     * @param seed seed of shuffling and dropout
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets checkpointsPerEpoch.
     *
     * @param checkpointsPerEpoch checkpoints written per epoch (the reference writes 4), >= 1
     * @return this builder
     */
    public Builder checkpointsPerEpoch(int checkpointsPerEpoch) {
      this.checkpointsPerEpoch = checkpointsPerEpoch;
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
    public DpoConfig build() {
      return new DpoConfig(beta, lossType, labelSmoothing, nllWeight, lengthAveraged, learningRate, schedule, warmupRatio, epochs, batchSize, gradAccumulationSteps, maxGradNorm, weightDecay, seed, checkpointsPerEpoch, lora);
    }
  }
}
