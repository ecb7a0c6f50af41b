package org.rlaifv.core.io;

import java.util.Objects;
import org.rlaifv.InvalidInputException;

/**
 * Where a preference pair came from: the run, the iteration, the models and the seeds.
 *
 * @param runId the run's id
 * @param iteration the iteration that made the pair, from 1
 * @param policyId id of the policy whose samples were paired
 * @param referenceId id of the reference model of the iteration's training
 * @param runSeed the loop's seed
 * @param samplingSeed the iteration's sampling seed (each response also carries its own seed)
 */
public record PairProvenance(
    String runId,
    int iteration,
    String policyId,
    String referenceId,
    long runSeed,
    long samplingSeed) {
  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the iteration is below 1
   */
  public PairProvenance {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(policyId, "policyId");
    Objects.requireNonNull(referenceId, "referenceId");
    if (iteration < 1) {
      throw new InvalidInputException("pair provenance iteration must be >= 1, got " + iteration);
    }
  }
}
