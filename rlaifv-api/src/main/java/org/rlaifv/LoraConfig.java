package org.rlaifv;

import java.util.List;

/**
 * Low-rank adapters (LoRA) for a training run, with the meaning Hugging Face PEFT gives the same
 * settings: each targeted linear layer {@code y = x W^T} becomes {@code y = x W^T + (alpha / r)
 * dropout(x) A^T B^T} with {@code A} of shape {@code [r, in]} initialised Kaiming-uniform and
 * {@code B} of shape {@code [out, r]} at zero, so training starts from the base model exactly. Only
 * {@code A} and {@code B} are trained; the base weights stay frozen.
 *
 * <p>A module is targeted when its name ends with one of {@link #targetModules()} (PEFT's list
 * form of {@code target_modules}). With {@link #includeVision()} false (the default), only modules
 * of the language model are targeted; the vision tower and the projector stay frozen.
 *
 * <pre>{@code
 * LoraConfig lora = LoraConfig.builder().rank(16).alpha(32).dropout(0.05).build();
 * DpoConfig cfg = DpoConfig.builder().learningRate(5e-4).lora(lora).build();
 * }</pre>
 *
 * @param rank the rank r of the adapters, &gt;= 1
 * @param alpha the scaling numerator: adapters are scaled by {@code alpha / rank}, &gt; 0
 * @param dropout dropout probability on the adapters' input while training, in [0, 1)
 * @param targetModules module-name suffixes to adapt (e.g. {@code q_proj}), not empty
 * @param includeVision whether modules of the vision tower and projector are targeted too
 */
public record LoraConfig(
    int rank, double alpha, double dropout, List<String> targetModules, boolean includeVision) {

  /** The seven linear projections of a Llama-style decoder layer. */
  public static final List<String> ALL_PROJECTIONS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /**
   * Validates every field.
   *
   * @throws InvalidInputException naming the field that is invalid
   */
  public LoraConfig {
    if (rank < 1) {
      throw new InvalidInputException("LoraConfig.rank is invalid: " + rank + " (>= 1)");
    }
    if (!(alpha > 0 && Double.isFinite(alpha))) {
      throw new InvalidInputException("LoraConfig.alpha is invalid: " + alpha + " (> 0)");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new InvalidInputException("LoraConfig.dropout is invalid: " + dropout + " (in [0, 1))");
    }
    targetModules = Checks.copy(targetModules, "LoraConfig.targetModules");
    if (targetModules.isEmpty()) {
      throw new InvalidInputException("LoraConfig.targetModules is empty (name at least one module)");
    }
    for (String t : targetModules) {
      Checks.nonBlank(t, "LoraConfig.targetModules entry");
    }
  }

  /**
   * Returns the factor the adapters' output is scaled by, {@code alpha / rank}.
   *
   * @return the scaling
   */
  public double scaling() {
    return alpha / rank;
  }

  /**
   * Starts a builder with the defaults: rank 16, alpha 32, dropout 0.05, every decoder projection
   * ({@link #ALL_PROJECTIONS}), vision tower and projector frozen.
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
    return new Builder().rank(rank).alpha(alpha).dropout(dropout).targetModules(targetModules)
        .includeVision(includeVision);
  }

  /** Builder for {@link LoraConfig}; validation happens in {@link #build()}. */
  public static final class Builder {
    private int rank = 16;
    private double alpha = 32;
    private double dropout = 0.05;
    private List<String> targetModules = ALL_PROJECTIONS;
    private boolean includeVision = false;

    private Builder() {}

    /**
     * Sets the rank.
     *
     * @param rank the rank r, &gt;= 1
     * @return this builder
     */
    public Builder rank(int rank) {
      this.rank = rank;
      return this;
    }

    /**
     * Sets alpha.
     *
     * @param alpha the scaling numerator, &gt; 0
     * @return this builder
     */
    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    /**
     * Sets the dropout.
     *
     * @param dropout dropout probability on the adapters' input, in [0, 1)
     * @return this builder
     */
    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    /**
     * Sets the target modules.
     *
     * @param targetModules module-name suffixes, not empty
     * @return this builder
     */
    public Builder targetModules(List<String> targetModules) {
      this.targetModules = targetModules;
      return this;
    }

    /**
     * Sets whether the vision tower and projector are adapted too.
     *
     * @param includeVision true to target their modules as well
     * @return this builder
     */
    public Builder includeVision(boolean includeVision) {
      this.includeVision = includeVision;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the configuration
     * @throws InvalidInputException naming an invalid field
     */
    public LoraConfig build() {
      return new LoraConfig(rank, alpha, dropout, targetModules, includeVision);
    }
  }
}
