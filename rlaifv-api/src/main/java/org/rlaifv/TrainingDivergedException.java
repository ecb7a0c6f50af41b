package org.rlaifv;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Training produced a non-finite loss or gradient. The policy keeps its last good weights; {@link
 * #lastGoodCheckpoint()} points at them when a checkpoint was written.
 */
public class TrainingDivergedException extends RlaifvException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final transient Path lastGoodCheckpoint;

  /**
   * Creates the exception.
   *
   * @param message what diverged
   * @param step the optimizer step at which the non-finite value appeared
   * @param lastGoodCheckpoint directory of the last good checkpoint, or null when none was written
   */
  public TrainingDivergedException(String message, long step, Path lastGoodCheckpoint) {
    super(message);
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /**
   * Returns the step at which training diverged.
   *
   * @return the optimizer step
   */
  public long step() {
    return step;
  }

  /**
   * Returns the last good checkpoint, if one was written.
   *
   * @return the checkpoint directory
   */
  public Optional<Path> lastGoodCheckpoint() {
    return Optional.ofNullable(lastGoodCheckpoint);
  }
}
