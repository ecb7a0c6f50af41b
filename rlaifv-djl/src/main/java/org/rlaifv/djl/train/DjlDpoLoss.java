package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Objects;
import org.rlaifv.DpoLossType;
import org.rlaifv.InvalidInputException;
import org.rlaifv.djl.model.Scalars;

/**
 * The DPO loss variants on NDArrays, differentiable with respect to the policy log-probs (the
 * autograd twin of the pure-Java loss maths in rlaifv-core).
 *
 * <p>With {@code z = (pi_w - ref_w) - (pi_l - ref_l)} and {@code h = beta * z} (see {@link
 * DpoLossType}): SIGMOID {@code softplus(-h)}; IPO {@code (z - 1/(2 beta))^2}; HINGE {@code relu(1
 * - h)}; ROBUST {@code ((1 - eps) softplus(-h) - eps softplus(h)) / (1 - 2 eps)}; LABEL_SMOOTHED
 * {@code (1 - eps) softplus(-h) + eps softplus(h)}. {@code softplus} is PyTorch's stable one, so
 * large margins neither overflow nor lose the gradient.
 *
 * <p>Stateless and thread-safe. Results are new arrays in the manager of {@code policyChosen};
 * its owner closes them.
 */
public final class DjlDpoLoss {
  private DjlDpoLoss() {}

  /**
   * Per-pair losses and implicit rewards of one batch.
   *
   * @param losses loss of each pair, shape [B], differentiable
   * @param chosenRewards {@code beta * (pi_w - ref_w)}, shape [B], detached from the graph
   * @param rejectedRewards {@code beta * (pi_l - ref_l)}, shape [B], detached from the graph
   */
  public record Output(NDArray losses, NDArray chosenRewards, NDArray rejectedRewards) {
    /** Checks that no field is null. */
    public Output {
      Objects.requireNonNull(losses, "losses");
      Objects.requireNonNull(chosenRewards, "chosenRewards");
      Objects.requireNonNull(rejectedRewards, "rejectedRewards");
    }
  }

  /**
   * Computes the per-pair loss.
   *
   * @param policyChosen policy log-probs of the chosen responses, [B]
   * @param policyRejected policy log-probs of the rejected responses, [B]
   * @param referenceChosen reference log-probs of the chosen responses, [B] (constants)
   * @param referenceRejected reference log-probs of the rejected responses, [B] (constants)
   * @param type the loss variant
   * @param beta the DPO temperature, &gt; 0
   * @param labelSmoothing eps of ROBUST and LABEL_SMOOTHED, in [0, 0.5); ignored by the others
   * @return the losses and rewards
   * @throws InvalidInputException when beta or eps is out of range
   */
  public static Output compute(
      NDArray policyChosen,
      NDArray policyRejected,
      NDArray referenceChosen,
      NDArray referenceRejected,
      DpoLossType type,
      double beta,
      double labelSmoothing) {
    if (!(beta > 0 && Double.isFinite(beta))) {
      throw new InvalidInputException("DPO beta must be finite and > 0, got " + beta);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw new InvalidInputException("DPO label smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    NDArray chosenRatio = policyChosen.sub(referenceChosen);
    NDArray rejectedRatio = policyRejected.sub(referenceRejected);
    NDArray z = chosenRatio.sub(rejectedRatio);
    // Float scalars: a double would promote 0-d (and, in PyTorch, only 0-d) operands to float64.
    float b = (float) beta;
    float eps = (float) labelSmoothing;
    NDArray h = z.mul(Scalars.of(z, b));
    NDArray losses =
        switch (type) {
          case SIGMOID -> Activation.softPlus(h.neg());
          case IPO -> z.sub((float) (1.0 / (2.0 * beta))).square();
          case HINGE -> Activation.relu(h.neg().add(1f));
          case ROBUST ->
              Activation.softPlus(h.neg())
                  .mul(Scalars.of(h, 1f - eps))
                  .sub(Activation.softPlus(h).mul(Scalars.of(h, eps)))
                  .div(Scalars.of(h, 1f - 2f * eps));
          case LABEL_SMOOTHED ->
              Activation.softPlus(h.neg()).mul(Scalars.of(h, 1f - eps)).add(Activation.softPlus(h).mul(Scalars.of(h, eps)));
        };
    NDArray chosenRewards = chosenRatio.stopGradient().mul(b);
    NDArray rejectedRewards = rejectedRatio.stopGradient().mul(b);
    return new Output(losses, chosenRewards, rejectedRewards);
  }
}
