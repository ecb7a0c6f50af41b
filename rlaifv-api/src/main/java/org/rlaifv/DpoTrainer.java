package org.rlaifv;

/**
 * Trains a policy on preference pairs with DPO and writes the result as new checkpoints.
 *
 * <p>Implementations compute reference log-probs once (before training, without gradients),
 * put chosen and rejected of a pair in one batch, count response tokens only, and throw {@link
 * TrainingDivergedException} on a non-finite loss or gradient.
 */
@FunctionalInterface
public interface DpoTrainer {

  /**
   * Runs DPO training.
   *
   * @param request policy, reference, pairs, configuration and output directory
   * @return the checkpoints written and the metric history
   * @throws TrainingDivergedException when the loss or a gradient becomes non-finite
   */
  TrainingResult train(TrainingRequest request);

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the trainer's class name
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
