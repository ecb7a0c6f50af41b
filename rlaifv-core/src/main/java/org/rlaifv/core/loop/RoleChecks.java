package org.rlaifv.core.loop;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.ScoredResponse;

/**
 * The loop's checks on what its roles return, before anything is written: each throws an {@link
 * InvalidInputException} naming the prompt (or checkpoint) and what was expected. The sample and
 * score checks run on every record a {@link StageRunner} delivers, whoever computed it.
 */
final class RoleChecks {
  private RoleChecks() {}

  /**
   * Checks a sampler's output for one prompt: {@code params.n()} responses, each to the prompt, in
   * index order, with the seed {@code params.seedFor(index)}.
   */
  static void responses(Prompt p, SamplingParams params, List<Response> out) {
    if (out == null || out.size() != params.n()) {
      throw new InvalidInputException("sampler returned " + (out == null ? "null" : out.size())
          + " responses to prompt " + p.id() + ", expected " + params.n());
    }
    for (int i = 0; i < out.size(); i++) {
      Response r = out.get(i);
      if (!r.promptId().equals(p.id()) || r.index() != i || r.seed() != params.seedFor(i)) {
        throw new InvalidInputException("sampler returned response " + r.index() + " to prompt "
            + r.promptId() + " with seed " + r.seed() + " at position " + i + " for prompt "
            + p.id() + "; expected index " + i + " and seed " + params.seedFor(i));
      }
    }
  }

  /** Checks a scorer's output for one prompt: one scored response per response, in order. */
  static void scores(Prompt p, List<Response> in, List<ScoredResponse> out) {
    if (out == null || out.size() != in.size()) {
      throw new InvalidInputException("scorer returned " + (out == null ? "null" : out.size())
          + " scored responses for prompt " + p.id() + ", expected " + in.size());
    }
    for (int i = 0; i < out.size(); i++) {
      if (!out.get(i).response().equals(in.get(i))) {
        throw new InvalidInputException("scorer returned another response at position " + i
            + " for prompt " + p.id());
      }
    }
  }

  /** Checks that a pair selector's pair is for one of the run's prompts. */
  static void pair(PreferencePair pair, Map<String, Prompt> byId) {
    if (byId.get(pair.prompt().id()) == null) {
      throw new InvalidInputException(
          "pair selector returned a pair for unknown prompt " + pair.prompt().id());
    }
  }

  /**
   * Checks that a checkpoint selector chose one of the iteration's trained checkpoints.
   *
   * @return the choice
   */
  static Checkpoint selected(int k, List<Checkpoint> trained, Checkpoint pick) {
    Objects.requireNonNull(pick, "checkpoint selector returned null");
    if (trained.stream().noneMatch(c -> sameCheckpoint(c, pick))) {
      throw new InvalidInputException("checkpoint selector chose " + pick.id()
          + ", which is not among the checkpoints of iteration " + k);
    }
    return pick;
  }

  private static boolean sameCheckpoint(Checkpoint a, Checkpoint b) {
    return a.id().equals(b.id())
        && a.directory().toAbsolutePath().normalize()
            .equals(b.directory().toAbsolutePath().normalize());
  }
}
