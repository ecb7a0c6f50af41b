package org.rlaifv.djl.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;

/**
 * Self-feedback best-of-N: ranks samples by the aligned policy's implicit DPO reward against its
 * reference, {@code r(y) = beta * sum_t log(pi(y_t | x, y_<t) / ref(y_t | x, y_<t))}, summed over
 * the response tokens (end token included) or divided by their number {@code T} (RLAIF-V's
 * inference-time scaling, no separate reward model needed).
 *
 * <pre>{@code
 * var ranker = new ImplicitRewardRanker(policy, reference, 0.1);
 * ImplicitRewardRanker.Ranking r = ranker.rank(image, "describe the image.", samples, ImplicitRewardRanker.Form.LENGTH_NORMALIZED);
 * String best = samples.get(r.best());
 * }</pre>
 *
 * <p>Borrows both models (the caller closes them); runs without gradients. Not thread-safe.
 */
public final class ImplicitRewardRanker {

  /** How the per-token log-ratio is aggregated. */
  public enum Form {
    /** {@code beta * sum_t log ratio}. */
    SUM,
    /** {@code (beta / T) * sum_t log ratio}, T = number of response tokens. */
    LENGTH_NORMALIZED
  }

  /**
   * The ranking of N samples.
   *
   * @param rewards reward of each sample, in input order
   * @param tokens number of response tokens of each sample, in input order
   * @param order sample indices, best first (ties keep input order)
   */
  public record Ranking(List<Double> rewards, List<Integer> tokens, List<Integer> order) {
    /** Copies the lists and checks that they have one entry per sample. */
    public Ranking {
      rewards = List.copyOf(rewards);
      tokens = List.copyOf(tokens);
      order = List.copyOf(order);
      if (rewards.isEmpty() || rewards.size() != tokens.size() || rewards.size() != order.size()) {
        throw new InvalidInputException("a ranking needs one reward, token count and rank per sample");
      }
    }

    /**
     * Returns the index of the best sample.
     *
     * @return {@code order().get(0)}
     */
    public int best() {
      return order.get(0);
    }

    /**
     * Returns the best sample's reward.
     *
     * @return the highest reward
     */
    public double bestReward() {
      return rewards.get(best());
    }
  }

  private final LoadedVlm policy;
  private final LoadedVlm reference;
  private final double beta;
  private final int batchSize;

  /**
   * Creates a ranker scoring up to 64 samples per forward pass.
   *
   * @param policy the aligned policy (borrowed)
   * @param reference the reference it was aligned against (borrowed)
   * @param beta the DPO temperature, &gt; 0
   */
  public ImplicitRewardRanker(LoadedVlm policy, LoadedVlm reference, double beta) {
    this(policy, reference, beta, 64);
  }

  /**
   * Creates a ranker.
   *
   * @param policy the aligned policy (borrowed)
   * @param reference the reference it was aligned against (borrowed)
   * @param beta the DPO temperature, &gt; 0
   * @param batchSize samples per forward pass, &gt;= 1
   */
  public ImplicitRewardRanker(LoadedVlm policy, LoadedVlm reference, double beta, int batchSize) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.reference = Objects.requireNonNull(reference, "reference");
    if (!(beta > 0 && Double.isFinite(beta)) || batchSize < 1) {
      throw new InvalidInputException(
          "ranker needs beta > 0 and batch size >= 1, got " + beta + ", " + batchSize);
    }
    this.beta = beta;
    this.batchSize = batchSize;
  }

  /**
   * Ranks sampled responses to one prompt.
   *
   * @param prompt the prompt
   * @param responses its sampled responses, at least one
   * @param form summed or length-normalised reward
   * @return the ranking, indices into {@code responses}
   */
  public Ranking rank(Prompt prompt, List<Response> responses, Form form) {
    List<String> texts = new ArrayList<>(responses.size());
    for (Response r : responses) {
      texts.add(r.text());
    }
    return rank(prompt.image(), prompt.text(), texts, form);
  }

  /**
   * Ranks samples for one image and prompt.
   *
   * @param image the image
   * @param prompt the prompt text
   * @param samples the sampled response texts, at least one
   * @param form summed or length-normalised reward
   * @return the ranking, indices into {@code samples}
   * @throws InvalidInputException when there are no samples
   */
  public Ranking rank(Image image, String prompt, List<String> samples, Form form) {
    if (samples.isEmpty()) {
      throw new InvalidInputException("nothing to rank: no samples");
    }
    int n = samples.size();
    double[] pi = new double[n];
    double[] ref = new double[n];
    int[] tokens = new int[n];
    sequenceLogps(policy, image, prompt, samples, pi, tokens);
    sequenceLogps(reference, image, prompt, samples, ref, tokens);
    List<Double> rewards = new ArrayList<>(n);
    List<Integer> tokenList = new ArrayList<>(n);
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double r = beta * (pi[i] - ref[i]);
      rewards.add(form == Form.LENGTH_NORMALIZED ? r / Math.max(1, tokens[i]) : r);
      tokenList.add(tokens[i]);
      order.add(i);
    }
    Collections.sort(order, Comparator.comparingDouble((Integer i) -> rewards.get(i)).reversed());
    return new Ranking(rewards, tokenList, order);
  }

  private void sequenceLogps(
      LoadedVlm vlm, Image image, String prompt, List<String> samples, double[] out, int[] tokens) {
    try (NoGrad noGrad = new NoGrad()) {
      for (int start = 0; start < samples.size(); start += batchSize) {
        List<String> chunk = samples.subList(start, Math.min(samples.size(), start + batchSize));
        try (NDManager sm = vlm.model().manager().newSubManager();
            NDScope scope = new NDScope()) {
          TeacherForcingBatch b =
              TeacherForcing.batch(
                  vlm, sm, Collections.nCopies(chunk.size(), image),
                  Collections.nCopies(chunk.size(), prompt), chunk);
          float[] sums = ResponseLogProbs.tokenLogProbs(vlm, b).sum(new int[] {1}).toFloatArray();
          float[] counts =
              b.targetMask().toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
          for (int i = 0; i < chunk.size(); i++) {
            out[start + i] = sums[i];
            tokens[start + i] = Math.round(counts[i]);
          }
        }
      }
    }
  }
}
