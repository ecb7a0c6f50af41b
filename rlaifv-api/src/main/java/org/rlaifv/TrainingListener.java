package org.rlaifv;

/**
 * Receives training progress. Called on the training thread; implementations return quickly.
 */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Called after each optimizer step.
   *
   * @param metrics the step's metrics
   * @param totalSteps the number of steps the run will take
   */
  default void onStep(TrainingMetrics metrics, long totalSteps) {}

  /**
   * Called at the end of each epoch with the epoch's mean metrics.
   *
   * @param metrics the epoch's metrics
   */
  default void onEpoch(TrainingMetrics metrics) {}

  /**
   * Called after a checkpoint is written.
   *
   * @param checkpoint the new checkpoint
   */
  default void onCheckpoint(Checkpoint checkpoint) {}
}
