package org.rlaifv.core.io;

import java.util.Map;
import java.util.Objects;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.ScoredResponse;

/**
 * One line of a run's {@code pairs.jsonl}: a preference pair that names its prompt by id, with its
 * provenance.
 *
 * @param promptId the prompt's id
 * @param chosen the preferred response with its verdicts
 * @param rejected the dispreferred response with its verdicts
 * @param provenance where the pair came from
 */
public record PairRecord(
    String promptId, ScoredResponse chosen, ScoredResponse rejected, PairProvenance provenance) {

  /**
   * Validates that both responses answer the prompt.
   *
   * @throws InvalidInputException naming the prompt on a mismatch
   */
  public PairRecord {
    Objects.requireNonNull(promptId, "promptId");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Objects.requireNonNull(provenance, "provenance");
    if (!chosen.response().promptId().equals(promptId)
        || !rejected.response().promptId().equals(promptId)) {
      throw new InvalidInputException("pair record for prompt " + promptId
          + " holds responses to other prompts");
    }
  }

  /**
   * Creates the record of a pair.
   *
   * @param pair the pair
   * @param provenance where it came from
   * @return the record
   */
  public static PairRecord of(PreferencePair pair, PairProvenance provenance) {
    return new PairRecord(pair.prompt().id(), pair.chosen(), pair.rejected(), provenance);
  }

  /**
   * Rebuilds the pair, looking its prompt up by id.
   *
   * @param promptsById the run's prompts by id
   * @return the pair
   * @throws InvalidInputException naming the prompt id when it is not among the prompts
   */
  public PreferencePair toPair(Map<String, Prompt> promptsById) {
    Prompt p = promptsById.get(promptId);
    if (p == null) {
      throw new InvalidInputException("pair refers to unknown prompt " + promptId);
    }
    return new PreferencePair(p, chosen, rejected);
  }
}
