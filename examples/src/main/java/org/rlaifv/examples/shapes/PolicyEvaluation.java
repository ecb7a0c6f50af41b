package org.rlaifv.examples.shapes;

import com.google.common.collect.Lists;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.examples.Progress;
import org.rlaifv.spi.BackendOptions;

/**
 * Measures ShapesWorld models: a policy's greedy hallucination metrics on held-out prompts and a
 * judge's agreement with the ground truth on the hard polar questions.
 */
public final class PolicyEvaluation {

  /** Prompts decoded together in greedy evaluation. */
  private static final int EVAL_BATCH = 32;

  private PolicyEvaluation() {}

  /**
   * Returns the greedy decoding parameters used for every evaluation.
   *
   * @return n = 1, temperature 0, {@link ShapesModels#MAX_NEW_TOKENS} new tokens
   */
  public static SamplingParams greedy() {
    return SamplingParams.builder().n(1).temperature(0).maxNewTokens(ShapesModels.MAX_NEW_TOKENS)
        .build();
  }

  /**
   * Decodes every prompt greedily and scores the answers against the scenes.
   *
   * @param world the world that made the prompts
   * @param policy the policy (left open)
   * @param prompts held-out prompts
   * @param task progress-bar label, or null for no bar
   * @return CHAIR_i, CHAIR_s, coverage and mean words
   */
  public static ShapesMetrics.Report evaluate(
      ShapesWorld world, LoadedVlm policy, List<Prompt> prompts, String task) {
    if (world.isHard()) {
      return world.evaluate(generate(policy, prompts, task, ShapesModels.HARD_MAX_NEW_TOKENS));
    }
    return world.evaluate(generate(policy, prompts, task));
  }

  /**
   * Decodes every prompt greedily with a token budget.
   *
   * @param policy the policy (left open)
   * @param prompts the prompts
   * @param task progress-bar label, or null for no bar
   * @param maxNewTokens the longest response
   * @return one response per prompt
   */
  public static List<Response> generate(LoadedVlm policy, List<Prompt> prompts, String task,
      int maxNewTokens) {
    return generate(policy, prompts, task,
        greedy().toBuilder().maxNewTokens(maxNewTokens).build());
  }

  /**
   * Decodes every prompt greedily.
   *
   * @param policy the policy (left open)
   * @param prompts the prompts
   * @param task progress-bar label, or null for no bar
   * @return one response per prompt
   */
  public static List<Response> generate(LoadedVlm policy, List<Prompt> prompts, String task) {
    return generate(policy, prompts, task, greedy());
  }

  private static List<Response> generate(LoadedVlm policy, List<Prompt> prompts, String task,
      SamplingParams params) {
    List<Response> out = new ArrayList<>(prompts.size());
    try (DjlResponseSampler sampler = new DjlResponseSampler(policy, BackendOptions.defaults(), false);
        Progress bar = task == null ? null : Progress.start(task, prompts.size())) {
      // Greedy rows of several prompts decode as one batch (the sampler pads and masks them).
      for (List<Prompt> chunk : Lists.partition(prompts, EVAL_BATCH)) {
        for (List<Response> rs : sampler.sampleAll(chunk, params)) {
          out.add(rs.get(0));
        }
        if (bar != null) {
          bar.stepTo(out.size());
        }
      }
    }
    return out;
  }

  /**
   * Asks a model every hard question and compares its yes/no with the truth.
   *
   * @param model the model used as a judge (left open)
   * @param questions the questions, e.g. {@link ShapesWorld#hardQuestions}
   * @param task progress-bar label, or null for no bar
   * @return the agreement
   */
  public static ShapesMetrics.LabelerAgreement judgeAccuracy(
      LoadedVlm model, List<PolarExample> questions, String task) {
    List<ClaimVerdict> verdicts = new ArrayList<>(questions.size());
    try (DjlPolarJudge judge = new DjlPolarJudge(model, BackendOptions.defaults(), false);
        Progress bar = task == null ? null : Progress.start(task, questions.size())) {
      for (PolarExample e : questions) {
        verdicts.add(judge.judge(e.image(), List.of(e.toPolarQuestion())).get(0));
        if (bar != null) {
          bar.step();
        }
      }
    }
    return ShapesMetrics.labelerAccuracy(questions, verdicts);
  }
}
