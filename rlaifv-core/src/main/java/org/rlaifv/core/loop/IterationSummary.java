package org.rlaifv.core.loop;

import java.util.Objects;
import org.rlaifv.Checkpoint;

/**
 * The outcome of one iteration of the alignment loop.
 *
 * @param iteration the iteration, from 1
 * @param policy the policy that started the iteration (sampled from)
 * @param reference the reference model of the iteration's training
 * @param selected the checkpoint selected as the next policy ({@code policy} when training was
 *     skipped)
 * @param prompts number of prompts
 * @param responses candidate responses sampled
 * @param scored responses that received a score (at least one non-abstained verdict)
 * @param meanScore mean score (-n_rej) over scored responses, NaN when none was scored
 * @param claims verdicts over all responses (one per judged claim)
 * @param abstained verdicts on which the labeler abstained
 * @param pairs preference pairs selected
 * @param trainingSkipped whether training was skipped because there were no pairs
 * @param seconds wall-clock seconds of the attempt that finished the iteration
 */
public record IterationSummary(
    int iteration,
    Checkpoint policy,
    Checkpoint reference,
    Checkpoint selected,
    int prompts,
    int responses,
    int scored,
    double meanScore,
    int claims,
    int abstained,
    int pairs,
    boolean trainingSkipped,
    double seconds) {
  /** Validates the fields. */
  public IterationSummary {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(selected, "selected");
  }

  IterationSummary withCheckpoints(Checkpoint policy, Checkpoint reference, Checkpoint selected) {
    return new IterationSummary(iteration, policy, reference, selected, prompts, responses, scored,
        meanScore, claims, abstained, pairs, trainingSkipped, seconds);
  }
}
