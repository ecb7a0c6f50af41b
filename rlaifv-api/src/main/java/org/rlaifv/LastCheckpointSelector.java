package org.rlaifv;

import java.util.List;

/** The selector behind {@link CheckpointSelector#last()}. */
final class LastCheckpointSelector implements CheckpointSelector {
  static final LastCheckpointSelector INSTANCE = new LastCheckpointSelector();

  private LastCheckpointSelector() {}

  @Override
  public Checkpoint select(int iteration, List<Checkpoint> candidates) {
    return candidates.get(candidates.size() - 1);
  }

  @Override
  public Provenance provenance() {
    return Provenance.named("last");
  }
}
