package org.rlaifv;

import java.util.List;

/**
 * Chooses preference pairs from scored candidates.
 *
 * <p>Takes every prompt's candidates at once because some rules (length balancing) look at the
 * whole set. Implementations must be deterministic for a given input.
 */
@FunctionalInterface
public interface PairSelector {

  /**
   * Selects pairs from all prompts' candidates.
   *
   * @param groups one group per prompt
   * @return the selected pairs, grouped by prompt in input order
   */
  List<PreferencePair> select(List<Candidates> groups);

  /**
   * Selects pairs from one prompt's candidates.
   *
   * @param group the candidates
   * @return the pairs
   */
  default List<PreferencePair> select(Candidates group) {
    return select(List.of(group));
  }

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the selector's class name; selectors with
   *     settings (seed, limits) override it to list them
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
