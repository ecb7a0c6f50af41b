package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.TrainingDivergedException;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.djl.model.KeyLayout;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.LoraAdapter;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised next-token training of a VLM on (image, prompt, target) triples, with the loss on the
 * target tokens only (the mean negative log-likelihood of the target tokens and end token; image
 * and prompt positions are masked out).
 *
 * <p>Each optimizer step is one forward and one backward pass over a batch, then a fused AdamW
 * update: cheap enough to pretrain the ShapesWorld policy and labeler on a CPU.
 *
 * <pre>{@code
 * try (LoadedVlm vlm = LoadedVlm.create(config, seed, tokenizerJson, format, Device.cpu())) {
 *   List<TrainingMetrics> history = new DjlSftTrainer().train(vlm, examples, SftConfig.builder().steps(1500).build(), TrainingListener.NONE);
 *   vlm.save(outDir);
 * }
 * }</pre>
 *
 * <p>The model is trained in place; the caller owns and closes it (and saves it when it wants a
 * checkpoint). With {@link SftConfig#lora()} set, only low-rank adapters are trained: the model's
 * attached adapter, or a new one that is attached and stays attached afterwards (save it with
 * {@link LoraAdapter#save}, or fold it into the weights with {@link
 * org.rlaifv.djl.model.VlmModel#mergeAdapter}). Metrics per reported step: {@code loss} (mean over the steps since the last
 * report), {@code grad_norm}, {@code learning_rate}, {@code tokens} (target tokens per step). One
 * training run per JVM at a time (DJL allows one gradient collector).
 */
public final class DjlSftTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DjlSftTrainer.class);

  /** Creates a trainer; it holds no state between runs. */
  public DjlSftTrainer() {}

  /**
   * Trains the model in place.
   *
   * @param vlm the model to train (its parameters are updated)
   * @param examples the training examples, at least one
   * @param config optimiser, schedule and run length
   * @param listener receives a {@link TrainingListener#onStep} every {@link SftConfig#logEvery()}
   *     steps and an {@link TrainingListener#onEpoch} per completed pass
   * @return the reported metrics, oldest first
   * @throws TrainingDivergedException when the loss or gradient becomes non-finite; the model then
   *     holds the weights of the step before (no checkpoint exists, so none is named)
   * @throws InvalidInputException when there are no examples
   */
  public List<TrainingMetrics> train(
      LoadedVlm vlm, List<SftExample> examples, SftConfig config, TrainingListener listener) {
    if (examples.isEmpty()) {
      throw new InvalidInputException("SFT needs at least one example");
    }
    int n = examples.size();
    int perEpoch = Batching.stepsPerEpoch(n, config.batchSize(), 1);
    long total = config.steps() > 0 ? config.steps() : (long) perEpoch * config.epochs();
    LrScheduler schedule =
        new LrScheduler(config.schedule(), config.learningRate(), total, config.warmupRatio());
    LoraAdapter lora = null;
    if (config.lora() != null) {
      lora = vlm.model().adapter().orElse(null);
      if (lora == null) {
        lora = LoraAdapter.create(vlm.model(), config.lora(),
            vlm.directory().map(KeyLayout::of).orElse(KeyLayout.ORIGINAL), config.seed());
        vlm.model().attachAdapter(lora);
      }
      ai.djl.engine.Engine.getInstance().setRandomSeed((int) config.seed());
      lora.setTraining(true);
      LOG.info("SFT with LoRA: {} trainable parameters in {} modules", lora.parameterCount(),
          lora.modules().size());
    }
    try {
      return run(vlm, examples, config, listener, lora == null ? vlm.model().parameters()
          : lora.parameters(), n, perEpoch, total, schedule);
    } finally {
      if (lora != null) {
        lora.setTraining(false);
      }
    }
  }

  private List<TrainingMetrics> run(LoadedVlm vlm, List<SftExample> examples, SftConfig config,
      TrainingListener listener, Map<String, NDArray> params, int n, int perEpoch, long total,
      LrScheduler schedule) {
    for (NDArray p : params.values()) {
      p.setRequiresGradient(true);
    }
    List<TrainingMetrics> history = new ArrayList<>();
    MetricMeans window = new MetricMeans();
    MetricMeans epochMeans = new MetricMeans();
    LOG.info("SFT: {} examples, {} steps of batch {}", n, total, config.batchSize());
    try (AdamW optimizer = new AdamW(params, config.weightDecay())) {
      long step = 0;
      for (int epoch = 0; step < total; epoch++) {
        for (List<Integer> batch : Batching.batches(n, config.batchSize(), config.seed(), epoch)) {
          if (step >= total) {
            break;
          }
          step++;
          double lr = schedule.rate(step);
          double[] lossAndTokens = forwardBackward(vlm, examples, batch, step);
          double norm = Gradients.globalNorm(params.values());
          if (!Double.isFinite(norm)) {
            optimizer.zeroGradients();
            throw new TrainingDivergedException(
                "SFT diverged at step " + step + ": gradient norm " + norm, step, null);
          }
          optimizer.step(lr, Gradients.clipFactor(norm, config.maxGradNorm()));
          window.add("loss", lossAndTokens[0], 1);
          window.add("grad_norm", norm, 1);
          window.add("learning_rate", lr, 1);
          window.add("tokens", lossAndTokens[1], 1);
          epochMeans.add("loss", lossAndTokens[0], 1);
          double epochFraction = epoch + (double) ((step - 1) % perEpoch + 1) / perEpoch;
          if (step % config.logEvery() == 0 || step == total) {
            TrainingMetrics m = new TrainingMetrics(step, epochFraction, window.means());
            window.clear();
            history.add(m);
            listener.onStep(m, total);
            LOG.debug("SFT step {}/{}: loss {}", step, total, m.get("loss"));
          }
        }
        if (!epochMeans.isEmpty()) {
          listener.onEpoch(new TrainingMetrics(step, epoch + 1, epochMeans.means()));
          epochMeans.clear();
        }
      }
    }
    return List.copyOf(history);
  }

  /** One forward and backward pass; returns {loss, target tokens}. */
  private static double[] forwardBackward(
      LoadedVlm vlm, List<SftExample> examples, List<Integer> batch, long step) {
    List<Image> images = new ArrayList<>(batch.size());
    List<String> prompts = new ArrayList<>(batch.size());
    List<String> targets = new ArrayList<>(batch.size());
    for (int i : batch) {
      SftExample e = examples.get(i);
      images.add(e.image());
      prompts.add(e.prompt());
      targets.add(e.target());
    }
    try (NDManager sm = vlm.model().manager().newSubManager();
        NDScope scope = new NDScope();
        GradientCollector gc = sm.getEngine().newGradientCollector()) {
      TeacherForcingBatch b = TeacherForcing.batch(vlm, sm, images, prompts, targets);
      NDArray tokenLogps = ResponseLogProbs.tokenLogProbs(vlm, b);
      NDArray count = b.targetMask().toType(DataType.FLOAT32, false).sum();
      NDArray loss = tokenLogps.sum().neg().div(count.maximum(1f));
      float[] values = loss.stack(count).toFloatArray();
      if (!Float.isFinite(values[0])) {
        throw new TrainingDivergedException(
            "SFT diverged at step " + step + ": loss " + values[0], step, null);
      }
      gc.backward(loss);
      return new double[] {values[0], values[1]};
    }
  }
}
