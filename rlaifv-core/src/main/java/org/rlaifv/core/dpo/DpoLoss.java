package org.rlaifv.core.dpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoLossType;
import org.rlaifv.InvalidInputException;

/**
 * The DPO losses in plain Java, with analytic gradients and TRL's reward metrics.
 *
 * <p>With sequence log-probs pi_w, pi_l (policy; chosen, rejected) and ref_w, ref_l (reference),
 * {@code logits = (pi_w - pi_l) - (ref_w - ref_l)} and {@code h = beta * logits}. Following TRL's
 * {@code DPOTrainer.dpo_loss}:
 *
 * <ul>
 *   <li>{@link DpoLossType#SIGMOID}: {@code -log sigmoid(h)};
 *   <li>{@link DpoLossType#IPO}: {@code (logits - 1 / (2 beta))^2} (logits without beta);
 *   <li>{@link DpoLossType#HINGE}: {@code relu(1 - h)};
 *   <li>{@link DpoLossType#ROBUST}: {@code ((1 - eps) * -log sigmoid(h) + eps * log sigmoid(-h))
 *       / (1 - 2 eps)};
 *   <li>{@link DpoLossType#LABEL_SMOOTHED} (cDPO): {@code -(1 - eps) * log sigmoid(h) - eps * log
 *       sigmoid(-h)}.
 * </ul>
 *
 * <p>Gradients are with respect to each pair's own policy log-probs ({@code d loss_i / d pi_w_i}
 * and {@code d loss_i / d pi_l_i}); divide by the number of pairs for the gradient of the mean
 * loss. The hinge's gradient at {@code h = 1} is taken as 0, as PyTorch's {@code relu} does.
 * {@code log sigmoid} is evaluated as {@code min(x, 0) - log1p(exp(-|x|))}, which neither
 * overflows nor loses precision for large |x|. Metrics follow TRL: {@code rewards/chosen} is the
 * mean of {@code beta * (pi_w - ref_w)}, {@code rewards/rejected} likewise, {@code
 * rewards/margins} their difference and {@code rewards/accuracies} the share of pairs whose chosen
 * reward is strictly larger.
 *
 * <pre>{@code
 * DpoLoss loss = DpoLoss.of(DpoConfig.builder().beta(0.1).build());
 * DpoLoss.Batch b = loss.compute(piW, piL, refW, refL);
 * double mean = b.meanLoss();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DpoLoss {
  private final DpoLossType type;
  private final double beta;
  private final double eps;

  /**
   * Creates a loss.
   *
   * @param type the variant
   * @param beta the DPO temperature, finite and &gt; 0
   * @param labelSmoothing eps for {@code ROBUST} and {@code LABEL_SMOOTHED}, in [0, 0.5); ignored
   *     by the other variants
   * @throws InvalidInputException when beta or eps is out of range
   */
  public DpoLoss(DpoLossType type, double beta, double labelSmoothing) {
    this.type = Objects.requireNonNull(type, "type");
    if (!(beta > 0 && Double.isFinite(beta))) {
      throw new InvalidInputException("DPO beta must be finite and > 0, got " + beta);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new InvalidInputException(
          "DPO label smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    this.beta = beta;
    this.eps = labelSmoothing;
  }

  /**
   * Creates the loss a training configuration asks for.
   *
   * @param config the configuration (loss type, beta, label smoothing)
   * @return the loss
   */
  public static DpoLoss of(DpoConfig config) {
    return new DpoLoss(config.lossType(), config.beta(), config.labelSmoothing());
  }

  /**
   * Returns the loss variant.
   *
   * @return the type
   */
  public DpoLossType type() {
    return type;
  }

  /**
   * Returns beta.
   *
   * @return beta
   */
  public double beta() {
    return beta;
  }

  /**
   * Returns the label smoothing eps.
   *
   * @return eps
   */
  public double labelSmoothing() {
    return eps;
  }

  /**
   * Evaluates the loss and its gradients for one pair.
   *
   * @param policyChosen log pi(y_w | x)
   * @param policyRejected log pi(y_l | x)
   * @param refChosen log ref(y_w | x)
   * @param refRejected log ref(y_l | x)
   * @return the loss, gradients and rewards of the pair
   * @throws InvalidInputException when a log-prob is not finite
   */
  public PairLoss pair(
      double policyChosen, double policyRejected, double refChosen, double refRejected) {
    return pair(0, policyChosen, policyRejected, refChosen, refRejected);
  }

  private PairLoss pair(int index, double pc, double pr, double rc, double rr) {
    if (!(Double.isFinite(pc) && Double.isFinite(pr) && Double.isFinite(rc)
        && Double.isFinite(rr))) {
      throw new InvalidInputException("pair " + index + " has a non-finite log-prob: policy ("
          + pc + ", " + pr + "), reference (" + rc + ", " + rr + ")");
    }
    double logits = (pc - pr) - (rc - rr);
    double h = beta * logits;
    double loss;
    double dLogits; // d loss / d logits
    switch (type) {
      case SIGMOID -> {
        loss = -logSigmoid(h);
        dLogits = -beta * sigmoid(-h);
      }
      case LABEL_SMOOTHED -> {
        loss = -(1 - eps) * logSigmoid(h) - eps * logSigmoid(-h);
        dLogits = beta * (-(1 - eps) * sigmoid(-h) + eps * sigmoid(h));
      }
      case ROBUST -> {
        loss = ((1 - eps) * -logSigmoid(h) + eps * logSigmoid(-h)) / (1 - 2 * eps);
        dLogits = beta * (-(1 - eps) * sigmoid(-h) - eps * sigmoid(h)) / (1 - 2 * eps);
      }
      case HINGE -> {
        loss = Math.max(0, 1 - h);
        dLogits = 1 - h > 0 ? -beta : 0.0;
      }
      case IPO -> {
        double d = logits - 1 / (2 * beta);
        loss = d * d;
        dLogits = 2 * d;
      }
      default -> throw new IllegalStateException("unknown loss type " + type);
    }
    return new PairLoss(loss, dLogits, -dLogits, beta * (pc - rc), beta * (pr - rr));
  }

  /**
   * Evaluates the loss over a batch of pairs.
   *
   * @param policyChosen log pi(y_w | x) per pair
   * @param policyRejected log pi(y_l | x) per pair
   * @param refChosen log ref(y_w | x) per pair
   * @param refRejected log ref(y_l | x) per pair
   * @return per-pair losses and gradients, the mean loss and TRL's metrics
   * @throws InvalidInputException when the arrays differ in length, are empty, or hold a
   *     non-finite value (naming the pair)
   */
  public Batch compute(
      double[] policyChosen, double[] policyRejected, double[] refChosen, double[] refRejected) {
    int n = policyChosen.length;
    if (policyRejected.length != n || refChosen.length != n || refRejected.length != n) {
      throw new InvalidInputException("log-prob arrays differ in length: " + n + ", "
          + policyRejected.length + ", " + refChosen.length + ", " + refRejected.length);
    }
    if (n == 0) {
      throw new InvalidInputException("a DPO batch needs at least one pair");
    }
    List<PairLoss> pairs = new ArrayList<>(n);
    double loss = 0;
    double rc = 0;
    double rr = 0;
    double acc = 0;
    double lc = 0;
    double lr = 0;
    for (int i = 0; i < n; i++) {
      PairLoss p = pair(i, policyChosen[i], policyRejected[i], refChosen[i], refRejected[i]);
      pairs.add(p);
      loss += p.loss();
      rc += p.rewardChosen();
      rr += p.rewardRejected();
      acc += p.rewardChosen() > p.rewardRejected() ? 1 : 0;
      lc += policyChosen[i];
      lr += policyRejected[i];
    }
    return new Batch(pairs, loss / n, rc / n, rr / n, acc / n, lc / n, lr / n);
  }

  /**
   * Returns {@code log(sigmoid(x))} without overflow or cancellation.
   *
   * @param x any finite value
   * @return log sigmoid(x), at most 0
   */
  public static double logSigmoid(double x) {
    return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
  }

  /**
   * Returns {@code 1 / (1 + exp(-x))} without overflow.
   *
   * @param x any value
   * @return sigmoid(x) in [0, 1]
   */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /**
   * The loss of one pair.
   *
   * @param loss the pair's loss
   * @param gradPolicyChosen d loss / d log pi(y_w | x)
   * @param gradPolicyRejected d loss / d log pi(y_l | x)
   * @param rewardChosen beta * (log pi(y_w) - log ref(y_w))
   * @param rewardRejected beta * (log pi(y_l) - log ref(y_l))
   */
  public record PairLoss(
      double loss,
      double gradPolicyChosen,
      double gradPolicyRejected,
      double rewardChosen,
      double rewardRejected) {

    /**
     * Returns the reward margin.
     *
     * @return rewardChosen - rewardRejected
     */
    public double margin() {
      return rewardChosen - rewardRejected;
    }
  }

  /**
   * The loss of a batch of pairs.
   *
   * @param pairs per-pair losses, gradients and rewards, in input order
   * @param meanLoss the mean loss
   * @param rewardsChosen mean chosen reward (TRL {@code rewards/chosen})
   * @param rewardsRejected mean rejected reward (TRL {@code rewards/rejected})
   * @param rewardsAccuracy share of pairs whose chosen reward is larger (TRL {@code
   *     rewards/accuracies})
   * @param logpsChosen mean policy log-prob of the chosen responses (TRL {@code logps/chosen})
   * @param logpsRejected mean policy log-prob of the rejected responses (TRL {@code
   *     logps/rejected})
   */
  public record Batch(
      List<PairLoss> pairs,
      double meanLoss,
      double rewardsChosen,
      double rewardsRejected,
      double rewardsAccuracy,
      double logpsChosen,
      double logpsRejected) {

    /** Copies the list. */
    public Batch {
      pairs = List.copyOf(pairs);
    }

    /**
     * Returns the mean reward margin (TRL {@code rewards/margins}).
     *
     * @return rewardsChosen - rewardsRejected
     */
    public double rewardsMargin() {
      return rewardsChosen - rewardsRejected;
    }

    /**
     * Returns the gradients of the mean loss with respect to each pair's chosen policy log-prob.
     *
     * @return one value per pair
     */
    public double[] meanLossGradChosen() {
      double[] g = new double[pairs.size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = pairs.get(i).gradPolicyChosen() / g.length;
      }
      return g;
    }

    /**
     * Returns the gradients of the mean loss with respect to each pair's rejected policy
     * log-prob.
     *
     * @return one value per pair
     */
    public double[] meanLossGradRejected() {
      double[] g = new double[pairs.size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = pairs.get(i).gradPolicyRejected() / g.length;
      }
      return g;
    }

    /**
     * Returns the metrics under TRL's names: {@code loss}, {@code rewards/chosen}, {@code
     * rewards/rejected}, {@code rewards/margins}, {@code rewards/accuracies}, {@code
     * logps/chosen}, {@code logps/rejected}.
     *
     * @return an insertion-ordered, unmodifiable map
     */
    public Map<String, Double> metrics() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("loss", meanLoss);
      m.put("rewards/chosen", rewardsChosen);
      m.put("rewards/rejected", rewardsRejected);
      m.put("rewards/margins", rewardsMargin());
      m.put("rewards/accuracies", rewardsAccuracy);
      m.put("logps/chosen", logpsChosen);
      m.put("logps/rejected", logpsRejected);
      return java.util.Collections.unmodifiableMap(m);
    }
  }
}
