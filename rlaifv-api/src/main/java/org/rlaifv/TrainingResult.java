package org.rlaifv;

import java.util.List;

/**
 * The outcome of a training run: the checkpoints written, in order, and the metric history.
 *
 * @param checkpoints checkpoints written during training, oldest first, at least one
 * @param history per-step metrics
 */
public record TrainingResult(List<Checkpoint> checkpoints, List<TrainingMetrics> history) {
  /**
   * Copies the lists.
   *
   * @throws InvalidInputException when no checkpoint was written
   */
  public TrainingResult {
    checkpoints = Checks.copy(checkpoints, "checkpoints");
    history = Checks.copy(history, "history");
    if (checkpoints.isEmpty()) {
      throw new InvalidInputException("a training result needs at least one checkpoint");
    }
  }

  /**
   * Returns the last checkpoint written.
   *
   * @return the final checkpoint
   */
  public Checkpoint last() {
    return checkpoints.get(checkpoints.size() - 1);
  }
}
