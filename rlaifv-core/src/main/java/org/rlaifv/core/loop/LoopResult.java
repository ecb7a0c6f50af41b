package org.rlaifv.core.loop;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Checkpoint;

/**
 * The outcome of {@link AlignmentLoop#run(java.util.List)}.
 *
 * @param runId the run's id
 * @param runDirectory the run directory holding every iteration's data
 * @param iterations one summary per iteration, in order (including iterations finished by an
 *     earlier, resumed attempt)
 * @param finalPolicy the policy selected by the last iteration (the initial policy when no
 *     iteration ran)
 */
public record LoopResult(
    String runId, Path runDirectory, List<IterationSummary> iterations, Checkpoint finalPolicy) {
  /** Validates and copies the fields. */
  public LoopResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runDirectory, "runDirectory");
    iterations = List.copyOf(iterations);
    Objects.requireNonNull(finalPolicy, "finalPolicy");
  }
}
