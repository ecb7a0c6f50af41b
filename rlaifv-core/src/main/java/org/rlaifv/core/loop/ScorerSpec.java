package org.rlaifv.core.loop;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ClaimSplitter;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.text.PromptedClaimSplitter;
import org.rlaifv.core.text.PromptedPolarQuestioner;
import org.rlaifv.core.text.RuleBasedClaimSplitter;
import org.rlaifv.core.text.RuleBasedPolarQuestioner;

/**
 * A divide-and-conquer scorer ({@link DivideAndConquerScorer}) described by value, so that any JVM
 * with the backends on its class path opens the same scorer: which backend and checkpoint judge,
 * and whether claims are split and turned into questions by the rule-based English splitter and
 * questioner or by an LLM (RLAIF-V's prompted splitter and questioner over one text generator).
 *
 * <p>Given to {@link AlignmentLoop.Builder#scorer(ScorerSpec)}, it is the loop's scorer factory
 * ({@link #apply} opens a scorer for an iteration's policy) and is also handed to the loop's
 * {@link StageRunner} through {@link PromptStage#spec()}, so a cluster's executors can open the
 * scorer themselves.
 *
 * <pre>{@code
 * BackendSpec djl = new BackendSpec("djl", BackendOptions.defaults());
 * ScorerSpec labeler = ScorerSpec.ruleBased(djl, Checkpoint.of(Path.of("models/labeler")));
 * ScorerSpec self = ScorerSpec.selfFeedback(djl);   // the policy judges its own claims
 * }</pre>
 *
 * @param judgeBackend opens the judge
 * @param labeler the judge's checkpoint, or null for the iteration's policy (self-feedback)
 * @param claimBackend opens the claim model; null when {@code claimModel} is null
 * @param claimModel the text generator's checkpoint for the prompted splitter and questioner, or
 *     null for the rule-based ones
 */
public record ScorerSpec(BackendSpec judgeBackend, Checkpoint labeler, BackendSpec claimBackend,
    Checkpoint claimModel) implements Function<Checkpoint, ResponseScorer> {

  /** Validates the fields. */
  public ScorerSpec {
    Objects.requireNonNull(judgeBackend, "judge backend");
    if ((claimBackend == null) != (claimModel == null)) {
      throw new InvalidInputException(
          "a scorer spec names both a claim backend and a claim model, or neither");
    }
  }

  /**
   * Returns a spec that judges with a fixed labeler and divides with the rule-based splitter and
   * questioner (as {@link DivideAndConquerScorer#ruleBased}).
   *
   * @param backend opens the labeler
   * @param labeler the labeler's checkpoint
   * @return the spec
   */
  public static ScorerSpec ruleBased(BackendSpec backend, Checkpoint labeler) {
    return new ScorerSpec(backend, Objects.requireNonNull(labeler, "labeler"), null, null);
  }

  /**
   * Returns a spec whose judge is the iteration's policy (the self-feedback baseline), with the
   * rule-based splitter and questioner.
   *
   * @param backend opens the policy as a judge
   * @return the spec
   */
  public static ScorerSpec selfFeedback(BackendSpec backend) {
    return new ScorerSpec(backend, null, null, null);
  }

  /**
   * Returns a copy that splits claims and writes questions with RLAIF-V's prompted splitter and
   * questioner over one greedy text generator.
   *
   * @param backend opens the generator
   * @param model the generator's checkpoint (a causal language model)
   * @return the new spec
   */
  public ScorerSpec withPromptedClaims(BackendSpec backend, Checkpoint model) {
    return new ScorerSpec(judgeBackend, labeler, Objects.requireNonNull(backend, "claim backend"),
        Objects.requireNonNull(model, "claim model"));
  }

  /**
   * Returns the checkpoint that judges in an iteration.
   *
   * @param policy the iteration's policy
   * @return the labeler, or the policy for self-feedback
   */
  public Checkpoint judgeFor(Checkpoint policy) {
    return labeler != null ? labeler : policy;
  }

  /**
   * Opens the scorer for an iteration: its judge (and text generator) are opened through the
   * backends and closed with the scorer.
   *
   * @param policy the iteration's policy (the judge for self-feedback)
   * @return a new scorer, closed by the caller
   */
  @Override
  public ResponseScorer apply(Checkpoint policy) {
    TextGenerator generator = claimModel == null ? null : claimBackend.newTextGenerator(claimModel);
    try {
      ClaimSplitter splitter = generator == null
          ? new RuleBasedClaimSplitter() : new PromptedClaimSplitter(generator);
      PolarQuestioner questioner = generator == null
          ? new RuleBasedPolarQuestioner() : new PromptedPolarQuestioner(generator);
      PolarJudge judge = judgeBackend.newJudge(judgeFor(policy));
      return new Owning(DivideAndConquerScorer.owningJudge(splitter, questioner, judge), generator);
    } catch (RuntimeException | Error e) {
      if (generator != null) {
        try {
          generator.close();
        } catch (RuntimeException | Error suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** A scorer that also closes the text generator its splitter and questioner share. */
  private static final class Owning implements ResponseScorer {
    private final DivideAndConquerScorer scorer;
    private final TextGenerator generator;

    Owning(DivideAndConquerScorer scorer, TextGenerator generator) {
      this.scorer = scorer;
      this.generator = generator;
    }

    @Override
    public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
      return scorer.scoreAll(prompt, responses);
    }

    @Override
    public Provenance provenance() {
      return scorer.provenance();
    }

    @Override
    public void close() {
      try {
        scorer.close();
      } finally {
        if (generator != null) {
          generator.close();
        }
      }
    }
  }
}
