package org.rlaifv;

import java.util.List;

/**
 * Picks, after each iteration's training, the checkpoint that becomes the next policy. RLAIF-V
 * picks the checkpoint that does best on held-out hallucination benchmarks; implement this with a
 * validation split, never the test split.
 */
@FunctionalInterface
public interface CheckpointSelector {

  /**
   * Chooses one of the candidates.
   *
   * @param iteration the iteration that produced them, from 1
   * @param candidates checkpoints written by training, oldest first, never empty
   * @return the chosen checkpoint (one of {@code candidates})
   */
  Checkpoint select(int iteration, List<Checkpoint> candidates);

  /**
   * Describes this selector for a run's identity (see {@link Provenance}): a run resumed with a
   * selector whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}, the selector's class name; selectors with
   *     settings (a validation split, tolerances) override it to list them
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }

  /**
   * Returns the selector that takes the last checkpoint.
   *
   * @return the selector, whose provenance is named {@code last}
   */
  static CheckpointSelector last() {
    return LastCheckpointSelector.INSTANCE;
  }
}
