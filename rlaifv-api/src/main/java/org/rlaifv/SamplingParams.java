package org.rlaifv;

import java.util.List;

/**
 * Decoding parameters for drawing {@code n} candidate responses per prompt.
 *
 * <p>RLAIF-V samples deconfounded candidates: same input, same parameters, only the seed differs.
 * Sample {@code i} of a prompt uses seed {@link #seedFor(int) seedFor(i)}, which depends only on
 * {@code baseSeed} and {@code i}; re-running that seed with the same model reproduces the text.
 *
 * <pre>{@code
 * SamplingParams p = SamplingParams.builder().n(8).temperature(0.7).maxNewTokens(64).build();
 * }</pre>
 *
 * @param n number of samples per prompt, at least 1
 * @param temperature softmax temperature; 0 means greedy decoding
 * @param topP nucleus mass in (0, 1]; 1 disables
 * @param topK keep the k most likely tokens; 0 disables
 * @param maxNewTokens most tokens generated per sample, at least 1
 * @param baseSeed seed from which every sample's seed is derived
 * @param stopSequences strings that end a sample when generated (the model's EOS always does)
 */
public record SamplingParams(
    int n,
    double temperature,
    double topP,
    int topK,
    int maxNewTokens,
    long baseSeed,
    List<String> stopSequences) {

  /**
   * Validates the ranges.
   *
   * @throws InvalidInputException naming the field that is out of range
   */
  public SamplingParams {
    if (n < 1) {
      throw new InvalidInputException("n must be at least 1, got " + n);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new InvalidInputException("temperature must be finite and >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidInputException("topP must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new InvalidInputException("topK must be >= 0, got " + topK);
    }
    if (maxNewTokens < 1) {
      throw new InvalidInputException("maxNewTokens must be at least 1, got " + maxNewTokens);
    }
    stopSequences = Checks.copy(stopSequences, "stopSequences");
  }

  /**
   * Returns the seed of sample {@code index}: a SplitMix64 mix of the base seed and the index, so
   * neighbouring indices get unrelated random streams.
   *
   * @param index sample index, from 0
   * @return the sample's seed
   */
  public long seedFor(int index) {
    return Seeds.mix(baseSeed, index);
  }

  /**
   * Returns whether decoding is greedy (temperature 0).
   *
   * @return true when temperature is 0
   */
  public boolean greedy() {
    return temperature == 0;
  }

  /**
   * Starts a builder with the reference defaults: n = 10, temperature 0.7, topP 1, topK 0, 512 new
   * tokens, base seed 0, no stop sequences.
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
        .n(n)
        .temperature(temperature)
        .topP(topP)
        .topK(topK)
        .maxNewTokens(maxNewTokens)
        .baseSeed(baseSeed)
        .stopSequences(stopSequences);
  }

  /** Builder for {@link SamplingParams}; validation happens in {@link #build()}. */
  public static final class Builder {
    private int n = 10;
    private double temperature = 0.7;
    private double topP = 1.0;
    private int topK = 0;
    private int maxNewTokens = 512;
    private long baseSeed = 0;
    private List<String> stopSequences = List.of();

    private Builder() {}

    /**
     * Sets the number of samples per prompt.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder n(int n) {
      this.n = n;
      return this;
    }

    /**
     * Sets the temperature (0 = greedy).
     *
     * @param temperature finite, at least 0
     * @return this builder
     */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Sets the nucleus mass.
     *
     * @param topP in (0, 1]
     * @return this builder
     */
    public Builder topP(double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Sets top-k filtering.
     *
     * @param topK 0 disables
     * @return this builder
     */
    public Builder topK(int topK) {
      this.topK = topK;
      return this;
    }

    /**
     * Sets the largest number of new tokens per sample.
     *
     * @param maxNewTokens at least 1
     * @return this builder
     */
    public Builder maxNewTokens(int maxNewTokens) {
      this.maxNewTokens = maxNewTokens;
      return this;
    }

    /**
     * Sets the base seed.
     *
     * @param baseSeed any value
     * @return this builder
     */
    public Builder baseSeed(long baseSeed) {
      this.baseSeed = baseSeed;
      return this;
    }

    /**
     * Sets the stop sequences.
     *
     * @param stopSequences strings that end a sample
     * @return this builder
     */
    public Builder stopSequences(List<String> stopSequences) {
      this.stopSequences = stopSequences;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the parameters
     * @throws InvalidInputException naming the field out of range
     */
    public SamplingParams build() {
      return new SamplingParams(n, temperature, topP, topK, maxNewTokens, baseSeed, stopSequences);
    }
  }
}
