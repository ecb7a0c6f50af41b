package org.rlaifv.core.loop;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;

/**
 * The SCORE stage: every candidate of the sample stage scored by the labeler. A worker uses the
 * scorer given to the loop, or makes one with the loop's factory for the iteration's policy (and
 * closes it); either way the scorer's provenance is recorded in, or checked against, {@code
 * iter-K/scorer.json} before it scores.
 */
final class ScoreStage extends ResumableStage<PromptScores> {
  private final ResponseScorer fixedScorer;
  private final Function<Checkpoint, ? extends ResponseScorer> scorerFactory;
  private final Map<String, PromptResponses> responses = new HashMap<>();

  /**
   * Creates the stage.
   *
   * @param fixedScorer the loop's scorer, or null when it has a factory
   * @param scorerFactory the loop's factory, used when there is no fixed scorer
   * @param responses the sample stage's records, one per prompt
   */
  ScoreStage(RunContext context, int iteration, Checkpoint policy, long iterationSeed,
      ResponseScorer fixedScorer, Function<Checkpoint, ? extends ResponseScorer> scorerFactory,
      List<PromptResponses> responses) {
    super(context, iteration, Stage.SCORE, policy, iterationSeed, PromptScores.class);
    this.fixedScorer = fixedScorer;
    this.scorerFactory = scorerFactory;
    for (PromptResponses r : responses) {
      this.responses.put(r.promptId(), r);
    }
  }

  /**
   * Computes one prompt's record, checked: the one computation of a SCORE record, whichever JVM
   * runs it.
   */
  static PromptScores record(ResponseScorer scorer, Prompt p, List<Response> rs) {
    List<ScoredResponse> out = scorer.scoreAll(p, rs);
    RoleChecks.scores(p, rs, out);
    return new PromptScores(p.id(), out);
  }

  @Override
  public Optional<StageSpec> spec() {
    return scorerFactory instanceof ScorerSpec s ? Optional.of(new StageSpec(stage(), iteration(),
        policy(), iterationSeed(), null, null, s)) : Optional.empty();
  }

  @Override
  public Optional<PromptResponses> input(Prompt prompt) {
    return Optional.ofNullable(responses.get(prompt.id()));
  }

  @Override
  public void checkRole(Provenance provenance) {
    RunIdentity.checkScorer(context.run(), iteration(), provenance);
  }

  @Override
  String promptId(PromptScores record) {
    return record.promptId();
  }

  @Override
  int items(PromptScores record) {
    return record.scored().size();
  }

  @Override
  void check(Prompt prompt, PromptScores record) {
    RoleChecks.scores(prompt, responses.get(prompt.id()).responses(), record.scored());
  }

  @Override
  public Worker<PromptScores> openWorker() {
    // A fixed scorer belongs to the caller; one made by the factory is closed by the worker.
    ResponseScorer made = fixedScorer != null ? null : Objects.requireNonNull(
        scorerFactory.apply(policy()), "scorer factory returned null");
    ResponseScorer scorer = made != null ? made : fixedScorer;
    try {
      RunIdentity.checkScorer(context.run(), iteration(), scorer.provenance());
    } catch (RuntimeException | Error e) {
      if (made != null) {
        try {
          made.close();
        } catch (RuntimeException | Error suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new Worker<>() {
      @Override
      public PromptScores run(Prompt p) {
        context.checkInterrupted(iteration(), stage());
        return record(scorer, p, responses.get(p.id()).responses());
      }

      @Override
      public void close() {
        if (made != null) {
          made.close();
        }
      }
    };
  }
}
