package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.DpoConfig;
import org.rlaifv.Image;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.Scalars;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;

/**
 * One DPO micro-batch on the policy: chosen and rejected of B pairs as one batch of 2B rows,
 * forward, loss, backward (gradients accumulate on the parameters), metrics. Shared by {@link
 * DjlDpoTrainer} and {@link DpoBench}.
 */
final class DpoStep {

  /** The texts of one pair with the reference log-probs (summed or averaged, as configured). */
  record PairRow(
      Image image, String prompt, String chosen, String rejected, float refChosen, float refRejected) {}

  private final LoadedVlm policy;
  private final DpoConfig cfg;

  DpoStep(LoadedVlm policy, DpoConfig cfg) {
    this.policy = policy;
    this.cfg = cfg;
  }

  /**
   * Runs forward and backward over one micro-batch and adds its metrics (weighted by B) to {@code
   * means}.
   *
   * @param rows the pairs
   * @param groupSize micro-batches in this optimizer step (the loss is divided by it)
   * @param means receives loss, rewards/*, logps/* and nll_loss
   * @return the micro-batch loss; when it is not finite, nothing was back-propagated or recorded
   */
  float run(List<PairRow> rows, int groupSize, MetricMeans means) {
    int b = rows.size();
    List<Image> images = new ArrayList<>(2 * b);
    List<String> prompts = new ArrayList<>(2 * b);
    List<String> targets = new ArrayList<>(2 * b);
    float[] refChosen = new float[b];
    float[] refRejected = new float[b];
    for (int half = 0; half < 2; half++) {
      for (int j = 0; j < b; j++) {
        PairRow r = rows.get(j);
        images.add(r.image());
        prompts.add(r.prompt());
        targets.add(half == 0 ? r.chosen() : r.rejected());
        refChosen[j] = r.refChosen();
        refRejected[j] = r.refRejected();
      }
    }
    try (NDManager sm = policy.model().manager().newSubManager();
        NDScope scope = new NDScope();
        GradientCollector gc = sm.getEngine().newGradientCollector()) {
      TeacherForcingBatch tf = TeacherForcing.batch(policy, sm, images, prompts, targets);
      NDArray sums = ResponseLogProbs.tokenLogProbs(policy, tf).sum(new int[] {1});
      NDArray counts = tf.targetMask().toType(DataType.FLOAT32, false).sum(new int[] {1});
      NDArray seq = cfg.lengthAveraged() ? sums.div(counts.maximum(1f)) : sums;
      NDArray chosen = seq.get(new NDIndex("0:{}", b));
      NDArray rejected = seq.get(new NDIndex("{}:", b));
      DjlDpoLoss.Output o =
          DjlDpoLoss.compute(
              chosen,
              rejected,
              sm.create(refChosen),
              sm.create(refRejected),
              cfg.lossType(),
              cfg.beta(),
              cfg.labelSmoothing());
      NDArray loss = o.losses().mean();
      NDArray nll = null;
      if (cfg.nllWeight() > 0) {
        // Per-token mean over all chosen tokens of the micro-batch (TRL's RPO term).
        NDArray chosenTokens = counts.get(new NDIndex("0:{}", b)).sum();
        nll = sums.get(new NDIndex("0:{}", b)).sum().neg().div(chosenTokens.maximum(1f));
        loss = loss.add(nll.mul(Scalars.of(nll, (float) cfg.nllWeight())));
      }
      // One host transfer for every metric of the micro-batch.
      NDList parts =
          new NDList(
              loss.reshape(1),
              o.chosenRewards(),
              o.rejectedRewards(),
              chosen.stopGradient(),
              rejected.stopGradient());
      if (nll != null) {
        parts.add(nll.stopGradient().reshape(1));
      }
      float[] v = NDArrays.concat(parts).toFloatArray();
      if (!Float.isFinite(v[0])) {
        return v[0];
      }
      gc.backward(groupSize == 1 ? loss : loss.div(Scalars.of(loss, groupSize)));
      double rc = 0;
      double rr = 0;
      double acc = 0;
      double lc = 0;
      double lr = 0;
      for (int j = 0; j < b; j++) {
        double c = v[1 + j];
        double r = v[1 + b + j];
        rc += c;
        rr += r;
        acc += c > r ? 1 : 0;
        lc += v[1 + 2 * b + j];
        lr += v[1 + 3 * b + j];
      }
      means.add("loss", v[0], b);
      means.add("rewards/chosen", rc / b, b);
      means.add("rewards/rejected", rr / b, b);
      means.add("rewards/margins", (rc - rr) / b, b);
      means.add("rewards/accuracies", acc / b, b);
      means.add("logps/chosen", lc / b, b);
      means.add("logps/rejected", lr / b, b);
      if (nll != null) {
        means.add("nll_loss", v[1 + 4 * b], b);
      }
      return v[0];
    }
  }
}
