package org.rlaifv.core.loop;

import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.ResponseScorer;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;

/**
 * One SAMPLE or SCORE stage described by value ({@link PromptStage#spec()}): everything another
 * JVM needs to open the stage's role and compute the records the loop's in-process worker would,
 * byte for byte. It travels as JSON ({@link #toJson()}, {@link #fromJson(String)}), so it can be
 * shipped to a cluster's executors; the models it names must be readable there at the same paths.
 *
 * <pre>{@code
 * StageSpec spec = StageSpec.fromJson(json);                  // on an executor
 * try (ResponseSampler sampler = spec.openSampler()) {        // SAMPLE
 *   PromptResponses record = spec.sample(sampler, prompt);
 * }
 * try (ResponseScorer scorer = spec.openScorer()) {           // SCORE
 *   PromptScores record = spec.score(scorer, prompt, sampled);
 * }
 * }</pre>
 *
 * <p>A record depends only on the spec and the prompt (and, for SCORE, the prompt's sampled
 * responses), never on which JVM computed it, in which order or how many times.
 *
 * @param stage {@link Stage#SAMPLE} or {@link Stage#SCORE}
 * @param iteration the iteration, from 1
 * @param policy the iteration's policy
 * @param iterationSeed the iteration's sampling seed
 * @param samplingParams the loop's decoding parameters (SAMPLE; null for SCORE)
 * @param sampler opens the sampler (SAMPLE; null for SCORE)
 * @param scorer opens the scorer (SCORE; null for SAMPLE)
 */
public record StageSpec(Stage stage, int iteration, Checkpoint policy, long iterationSeed,
    SamplingParams samplingParams, BackendSpec sampler, ScorerSpec scorer) {

  /** Checks that the stage's role is described. */
  public StageSpec {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(policy, "policy");
    if (stage == Stage.SAMPLE && (samplingParams == null || sampler == null)) {
      throw new InvalidInputException("a SAMPLE stage spec needs samplingParams and a sampler");
    }
    if (stage == Stage.SCORE && scorer == null) {
      throw new InvalidInputException("a SCORE stage spec needs a scorer");
    }
    if (stage != Stage.SAMPLE && stage != Stage.SCORE) {
      throw new InvalidInputException("only SAMPLE and SCORE stages have a spec, got " + stage);
    }
  }

  /**
   * Returns a key that is equal for stages whose role is the same model opened the same way (the
   * same backend, options and checkpoints), so that a JVM may keep one open role for them.
   *
   * @return the key (JSON text)
   */
  public String roleKey() {
    if (stage == Stage.SAMPLE) {
      return Json.toJson(new RoleKey("sampler", sampler, null, policy.directory().toString()));
    }
    Checkpoint judge = scorer.judgeFor(policy);
    return Json.toJson(new RoleKey("scorer", scorer.judgeBackend(),
        scorer.claimModel() == null ? null
            : new RoleKey("claims", scorer.claimBackend(), null,
                scorer.claimModel().directory().toString()),
        judge.directory().toString()));
  }

  /** The parts of a role key. */
  private record RoleKey(String role, BackendSpec backend, RoleKey claims, String model) {}

  /**
   * Opens the SAMPLE stage's sampler over the policy.
   *
   * @return a new sampler, closed by the caller
   * @throws IllegalStateException for a SCORE stage
   */
  public ResponseSampler openSampler() {
    require(Stage.SAMPLE);
    return sampler.newSampler(policy);
  }

  /**
   * Opens the SCORE stage's scorer for the policy.
   *
   * @return a new scorer, closed by the caller
   * @throws IllegalStateException for a SAMPLE stage
   */
  public ResponseScorer openScorer() {
    require(Stage.SCORE);
    return scorer.apply(policy);
  }

  /**
   * Computes a prompt's SAMPLE record as the loop's in-process worker does.
   *
   * @param sampler a sampler opened with {@link #openSampler()} (or an equal spec's)
   * @param prompt the prompt
   * @return the record
   * @throws InvalidInputException when the sampler's output fails the loop's checks
   */
  public PromptResponses sample(ResponseSampler sampler, Prompt prompt) {
    require(Stage.SAMPLE);
    return SampleStage.record(sampler, samplingParams, iterationSeed, prompt);
  }

  /**
   * Computes a prompt's SCORE record as the loop's in-process worker does.
   *
   * @param scorer a scorer opened with {@link #openScorer()} (or an equal spec's)
   * @param prompt the prompt
   * @param sampled the prompt's record of the SAMPLE stage
   * @return the record
   * @throws InvalidInputException when the scorer's output fails the loop's checks, or the
   *     responses are another prompt's
   */
  public PromptScores score(ResponseScorer scorer, Prompt prompt, PromptResponses sampled) {
    require(Stage.SCORE);
    if (!sampled.promptId().equals(prompt.id())) {
      throw new InvalidInputException("responses of prompt " + sampled.promptId()
          + " given to score prompt " + prompt.id());
    }
    return ScoreStage.record(scorer, prompt, sampled.responses());
  }

  /**
   * Writes the spec as one line of JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    return Json.toJson(this);
  }

  /**
   * Reads a spec written by {@link #toJson()}.
   *
   * @param json the JSON text
   * @return the spec
   * @throws InvalidInputException when the text is not a spec
   */
  public static StageSpec fromJson(String json) {
    return Json.fromJson(json, StageSpec.class);
  }

  private void require(Stage expected) {
    if (stage != expected) {
      throw new IllegalStateException("iteration " + iteration + " stage " + stage.key()
          + " is not a " + expected.key() + " stage");
    }
  }
}
