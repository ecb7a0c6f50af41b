package org.rlaifv.core.loop;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.rlaifv.Checkpoint;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.io.IterationRecord;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;
import org.rlaifv.core.io.RunDirectory;

/**
 * Makes {@link IterationSummary iteration summaries} from an iteration's stage outputs, and writes
 * and reads them in the run manifest, where checkpoint paths are stored relative to the run
 * directory like the rest of the manifest.
 */
final class IterationSummaries {
  private IterationSummaries() {}

  /**
   * Tallies an iteration: responses, scored responses and their mean score, verdicts and
   * abstentions.
   */
  static IterationSummary of(int k, Checkpoint policy, Checkpoint reference, Checkpoint selected,
      int prompts, List<PromptResponses> responses, List<PromptScores> scores, int pairs,
      boolean trainingSkipped, double seconds) {
    int scored = 0;
    int claims = 0;
    int abstained = 0;
    double scoreSum = 0;
    for (PromptScores ps : scores) {
      for (ScoredResponse s : ps.scored()) {
        claims += s.verdicts().size();
        for (ClaimVerdict v : s.verdicts()) {
          if (v.abstained()) {
            abstained++;
          }
        }
        if (s.scored()) {
          scored++;
          scoreSum += s.value();
        }
      }
    }
    double mean = scored == 0 ? Double.NaN : scoreSum / scored;
    return new IterationSummary(k, policy, reference, selected, prompts, responses(responses),
        scored, mean, claims, abstained, pairs, trainingSkipped, seconds);
  }

  /** The summary as the manifest stores it, with run-relative checkpoint paths. */
  static JsonNode toManifest(IterationSummary s, RunDirectory run) {
    return Json.toTree(s.withCheckpoints(run.relativize(s.policy()), run.relativize(s.reference()),
        run.relativize(s.selected())));
  }

  /** The summary of a finished iteration, read back from its manifest record. */
  static IterationSummary fromManifest(IterationRecord rec) {
    return Json.fromTree(rec.summary(), IterationSummary.class)
        .withCheckpoints(rec.policy(), rec.reference(), rec.selectedCheckpoint().orElseThrow());
  }

  /** Counts the responses sampled for all prompts. */
  static int responses(List<PromptResponses> rs) {
    int n = 0;
    for (PromptResponses r : rs) {
      n += r.responses().size();
    }
    return n;
  }

  /** Counts the scored responses of all prompts (the score stage's items). */
  static int scored(List<PromptScores> ss) {
    int n = 0;
    for (PromptScores s : ss) {
      n += s.scored().size();
    }
    return n;
  }
}
