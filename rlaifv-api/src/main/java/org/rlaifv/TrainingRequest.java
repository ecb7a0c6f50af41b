package org.rlaifv;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link DpoTrainer} needs for one run.
 *
 * @param policy the policy to start from (not modified on disk)
 * @param reference the frozen reference model
 * @param pairs the preference pairs
 * @param config loss and optimiser settings
 * @param outputDirectory where the trainer writes checkpoints, its report and the cached
 *     reference log-probs (so a resumed run does not recompute them)
 * @param listener progress and metrics
 */
public record TrainingRequest(
    Checkpoint policy,
    Checkpoint reference,
    List<PreferencePair> pairs,
    DpoConfig config,
    Path outputDirectory,
    TrainingListener listener) {
  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when there are no pairs
   */
  public TrainingRequest {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reference, "reference");
    pairs = Checks.copy(pairs, "pairs");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    Objects.requireNonNull(listener, "listener");
    if (pairs.isEmpty()) {
      throw new InvalidInputException("DPO training needs at least one preference pair");
    }
  }
}
