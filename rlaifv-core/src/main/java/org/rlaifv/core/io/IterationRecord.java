package org.rlaifv.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;

/**
 * The manifest entry of one iteration: the models it started from, its sampling seed, its finished
 * stages, the checkpoints training wrote, the one selected, and the loop's summary once the
 * iteration is finished.
 *
 * <p>Checkpoints inside the run directory are stored with paths relative to it, so a run directory
 * can be moved; {@link RunDirectory} resolves them on the way out.
 *
 * @param iteration the iteration number, from 1
 * @param policy the policy that started the iteration (the sampler's model)
 * @param reference the frozen reference model of the iteration's training
 * @param samplingSeed the iteration's sampling seed
 * @param stages finished stages by stage key
 * @param trainedCheckpoints checkpoints written by training, oldest first (empty when skipped)
 * @param trainingSkipped whether training was skipped because the iteration had no pairs
 * @param selected the checkpoint chosen as the next policy, or null until chosen
 * @param summary the loop's summary of the iteration, or a JSON null until it is finished
 */
public record IterationRecord(
    int iteration,
    Checkpoint policy,
    Checkpoint reference,
    long samplingSeed,
    Map<String, StageRecord> stages,
    List<Checkpoint> trainedCheckpoints,
    boolean trainingSkipped,
    Checkpoint selected,
    JsonNode summary) {

  /**
   * Validates and copies the fields.
   *
   * @throws InvalidInputException when the iteration number is below 1
   */
  public IterationRecord {
    if (iteration < 1) {
      throw new InvalidInputException("iteration numbers start at 1, got " + iteration);
    }
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(reference, "reference");
    stages = java.util.Collections.unmodifiableMap(new TreeMap<>(stages));
    trainedCheckpoints = List.copyOf(trainedCheckpoints);
    summary = summary == null ? NullNode.getInstance() : summary;
  }

  /**
   * Creates the record of an iteration that has just started.
   *
   * @param iteration the iteration number, from 1
   * @param policy the policy that starts it
   * @param reference its reference model
   * @param samplingSeed its sampling seed
   * @return the record
   */
  public static IterationRecord started(
      int iteration, Checkpoint policy, Checkpoint reference, long samplingSeed) {
    return new IterationRecord(
        iteration, policy, reference, samplingSeed, Map.of(), List.of(), false, null, null);
  }

  /**
   * Returns the selected checkpoint, when one has been chosen.
   *
   * @return the checkpoint, or empty
   */
  public Optional<Checkpoint> selectedCheckpoint() {
    return Optional.ofNullable(selected);
  }

  /**
   * Returns whether the iteration's summary has been recorded (the iteration is finished).
   *
   * @return true when finished
   */
  public boolean finished() {
    return !summary.isNull();
  }

  IterationRecord withStage(String key, StageRecord record) {
    Map<String, StageRecord> m = new TreeMap<>(stages);
    m.put(key, record);
    return new IterationRecord(iteration, policy, reference, samplingSeed, m, trainedCheckpoints,
        trainingSkipped, selected, summary);
  }

  IterationRecord withTraining(List<Checkpoint> checkpoints, boolean skipped) {
    return new IterationRecord(iteration, policy, reference, samplingSeed, stages, checkpoints,
        skipped, selected, summary);
  }

  IterationRecord withSelected(Checkpoint checkpoint) {
    return new IterationRecord(iteration, policy, reference, samplingSeed, stages,
        trainedCheckpoints, trainingSkipped, checkpoint, summary);
  }

  IterationRecord withSummary(JsonNode node) {
    return new IterationRecord(iteration, policy, reference, samplingSeed, stages,
        trainedCheckpoints, trainingSkipped, selected, node);
  }
}
