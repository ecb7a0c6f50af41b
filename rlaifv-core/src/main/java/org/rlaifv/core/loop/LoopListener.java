package org.rlaifv.core.loop;

import org.rlaifv.Checkpoint;
import org.rlaifv.TrainingMetrics;

/**
 * Receives the alignment loop's progress. Every method has an empty default, so a listener
 * overrides only what it needs. Called on the thread that runs the loop; implementations return
 * quickly. An exception thrown by a listener is logged and ignored: it does not stop the run (see
 * {@link LoopListeners}).
 */
public interface LoopListener {

  /**
   * Called when a stage starts (also when it is about to be read back from the run directory).
   *
   * @param iteration the iteration, from 1
   * @param stage the stage
   * @param total items the stage will produce, or -1 when not known in advance
   */
  default void onStageStart(int iteration, Stage stage, int total) {}

  /**
   * Called after each finished item of the sample and score stages (one prompt each).
   *
   * @param iteration the iteration
   * @param stage the stage
   * @param done prompts finished, including those recovered from an interrupted attempt
   * @param total prompts in all
   */
  default void onStageProgress(int iteration, Stage stage, int done, int total) {}

  /**
   * Called when a stage ends.
   *
   * @param iteration the iteration
   * @param stage the stage
   * @param summary what it produced
   */
  default void onStageEnd(int iteration, Stage stage, StageSummary summary) {}

  /**
   * Called after each optimizer step of training.
   *
   * @param iteration the iteration
   * @param metrics the step's metrics
   * @param totalSteps the number of steps of this training run
   */
  default void onTrainingStep(int iteration, TrainingMetrics metrics, long totalSteps) {}

  /**
   * Called at the end of each training epoch.
   *
   * @param iteration the iteration
   * @param metrics the epoch's mean metrics
   */
  default void onTrainingEpoch(int iteration, TrainingMetrics metrics) {}

  /**
   * Called when the trainer has written a checkpoint.
   *
   * @param iteration the iteration
   * @param checkpoint the checkpoint
   */
  default void onCheckpoint(int iteration, Checkpoint checkpoint) {}

  /**
   * Called when an iteration is finished and recorded.
   *
   * @param summary the iteration's summary
   */
  default void onIterationEnd(IterationSummary summary) {}

  /**
   * Called when the run stops with an exception (a role failed, training diverged, the thread was
   * interrupted), before the exception reaches the caller of {@code run}; a listener releases what
   * it holds for the stage, for example closes a progress display. Not called for finished
   * iterations read back.
   *
   * @param iteration the iteration that failed, from 1
   * @param stage the stage that was running, or null when the iteration failed before its first
   *     stage started (for example a resumed iteration that was started with other models)
   * @param error the exception, rethrown to the caller after the listeners are called
   */
  default void onFailure(int iteration, Stage stage, Throwable error) {}
}
