package org.rlaifv;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
 * @param provenance what made the request (run id, iteration, the pairs file's SHA-256, the roles'
 *     provenance), by name; trainers write it beside every checkpoint they produce, so a
 *     checkpoint says which run, iteration and pairs made it. Empty when the caller has nothing to
 *     record.
 */
public record TrainingRequest(
    Checkpoint policy,
    Checkpoint reference,
    List<PreferencePair> pairs,
    DpoConfig config,
    Path outputDirectory,
    TrainingListener listener,
    Map<String, String> provenance) {
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
    provenance = Collections.unmodifiableMap(new TreeMap<>(provenance));
    if (pairs.isEmpty()) {
      throw new InvalidInputException("DPO training needs at least one preference pair");
    }
  }

  /**
   * Creates a request with no provenance.
   *
   * @param policy the policy to start from
   * @param reference the frozen reference model
   * @param pairs the preference pairs
   * @param config loss and optimiser settings
   * @param outputDirectory where the trainer writes
   * @param listener progress and metrics
   */
  public TrainingRequest(Checkpoint policy, Checkpoint reference, List<PreferencePair> pairs,
      DpoConfig config, Path outputDirectory, TrainingListener listener) {
    this(policy, reference, pairs, config, outputDirectory, listener, Map.of());
  }
}
