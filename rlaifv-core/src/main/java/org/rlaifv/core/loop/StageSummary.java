package org.rlaifv.core.loop;

import java.util.Objects;

/**
 * What one stage of one iteration produced.
 *
 * @param iteration the iteration, from 1
 * @param stage the stage
 * @param items records produced: responses (sample), scored responses (score), pairs (pair),
 *     checkpoints (train; 0 when skipped), 1 (select)
 * @param seconds wall-clock seconds spent in this attempt (0 when resumed)
 * @param resumed whether the stage was found finished in the run directory and read back
 */
public record StageSummary(int iteration, Stage stage, int items, double seconds, boolean resumed) {
  /** Validates the fields. */
  public StageSummary {
    Objects.requireNonNull(stage, "stage");
  }
}
