package org.rlaifv.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoTrainer;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.TrainingDivergedException;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.TrainingResult;
import org.rlaifv.djl.model.KeyLayout;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.LoraAdapter;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPO training with autograd on DJL's PyTorch engine.
 *
 * <p>A run: (1) reference log-probs of every distinct response, computed once with the frozen
 * reference model, batched and without gradients, cached in {@code ref_logps.json} in the output
 * directory (a rerun reuses them); (2) the policy is loaded and its starting weights written as
 * {@code checkpoint-0}, the fallback should training diverge at once; (3) for each epoch, pairs in
 * a seeded order, {@link DpoConfig#batchSize()} pairs per micro-batch with chosen and rejected in
 * one batch of {@code 2B} rows, {@link DpoConfig#gradAccumulationSteps()} micro-batches per AdamW
 * step, global-norm clipping and the configured schedule; (4) {@link
 * DpoConfig#checkpointsPerEpoch()} checkpoints per epoch, each written atomically as a model
 * directory {@code checkpoint-STEP} in the Hugging Face layout, every file forced to disk before
 * the directory is renamed into place, with {@value #PROVENANCE_FILE} beside the weights.
 *
 * <p>The loss is {@link DjlDpoLoss} on summed (or, with {@link DpoConfig#lengthAveraged()},
 * token-averaged) response log-probs, plus {@link DpoConfig#nllWeight()} times the chosen
 * responses' negative log-likelihood per token. Per step the listener and {@code
 * train_report.jsonl} receive TRL's metrics: {@code loss}, {@code rewards/chosen}, {@code
 * rewards/rejected}, {@code rewards/margins}, {@code rewards/accuracies}, {@code logps/chosen},
 * {@code logps/rejected}, {@code grad_norm} (before clipping), {@code learning_rate}, and {@code
 * nll_loss} when the NLL term is on.
 *
 * <p>With {@link DpoConfig#lora()} set, low-rank adapters ({@link LoraAdapter}) are added to the
 * frozen policy and only they have gradients and AdamW state. When the reference is the policy's
 * own directory (as in the alignment loop), the reference log-probs come from the same loaded
 * weights with the adapters switched off, so one copy of the model is ever in memory. Every
 * checkpoint ({@code checkpoint-0} included) is then a PEFT adapter directory ({@code
 * adapter_config.json}, {@code adapter_model.safetensors}) whose {@code base_model_name_or_path} is
 * the policy directory's absolute path; {@link LoadedVlm#load(Path, Device)} opens it on top of
 * its base, and {@link org.rlaifv.djl.DjlAdapterMerger} writes the merged model.
 *
 * <p>A non-finite loss or gradient stops the run with {@link TrainingDivergedException} naming the
 * step and the last good checkpoint; the bad update is never applied and weights are checked to
 * be finite before every checkpoint is written.
 *
 * <pre>{@code
 * DpoTrainer trainer = new DjlDpoTrainer(BackendOptions.defaults());
 * TrainingResult result = trainer.train(new TrainingRequest(policy, reference, pairs, config, outDir, listener));
 * Checkpoint next = result.last();
 * }</pre>
 *
 * <p>Thread-safe in the sense that runs share nothing, but DJL's PyTorch engine allows one
 * gradient collector per JVM, so run one training at a time.
 */
public final class DjlDpoTrainer implements DpoTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(DjlDpoTrainer.class);

  /**
   * The file written in every checkpoint directory beside the weights, saying which run,
   * iteration, pairs and settings made it ({@link TrainingRequest#provenance()} under {@code
   * request}).
   */
  public static final String PROVENANCE_FILE = "provenance.json";

  private final Device device;
  private final int referenceBatchSize;

  /**
   * Creates a trainer on a device.
   *
   * @param device where the models run
   * @param referenceBatchSize sequences per forward pass of the reference model, &gt;= 1
   */
  public DjlDpoTrainer(Device device, int referenceBatchSize) {
    this.device = Objects.requireNonNull(device, "device");
    if (referenceBatchSize < 1) {
      throw new InvalidInputException("reference batch size must be >= 1, got " + referenceBatchSize);
    }
    this.referenceBatchSize = referenceBatchSize;
  }

  /**
   * Creates a trainer from backend options: their device, their batch size for the reference pass,
   * and their thread count (PyTorch's intra-op threads are process-wide; 0 leaves the engine's
   * choice), as the backend's other roles apply them.
   *
   * @param options device, batch size and threads
   * @throws org.rlaifv.BackendException when the requested device is absent
   */
  public DjlDpoTrainer(BackendOptions options) {
    this(org.rlaifv.djl.Devices.resolve(options.device()), options.batchSize());
    org.rlaifv.djl.Devices.applyThreads(options.threads());
  }

  /**
   * Runs DPO training.
   *
   * @param request policy, reference, pairs, configuration, output directory and listener
   * @return the checkpoints written during training (not {@code checkpoint-0}), oldest first, and
   *     the per-step metrics
   * @throws TrainingDivergedException when the loss or a gradient becomes non-finite
   */
  @Override
  public TrainingResult train(TrainingRequest request) {
    Path out = request.outputDirectory();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create training directory " + out, e);
    }
    if (request.config().lora() != null) {
      return trainAdapter(request);
    }
    ReferenceLogps refs = referenceLogps(request, null);

    try (LoadedVlm policy = LoadedVlm.load(request.policy().directory(), device);
        TrainingReport report = new TrainingReport(out.resolve(TrainingReport.FILE_NAME))) {
      return new Run(request, policy, refs, report, null).execute();
    }
  }

  /**
   * Trains low-rank adapters on the frozen policy. When the reference is the policy's directory
   * (as in the loop), its log-probs come from the same loaded weights with the adapters off: one
   * copy of the model in memory.
   */
  private TrainingResult trainAdapter(TrainingRequest request) {
    Path policyDir = request.policy().directory();
    try (LoadedVlm policy = LoadedVlm.load(policyDir, device);
        TrainingReport report = new TrainingReport(
            request.outputDirectory().resolve(TrainingReport.FILE_NAME))) {
      LoraAdapter lora = LoraAdapter.create(policy.model(), request.config().lora(),
          KeyLayout.of(policyDir), request.config().seed());
      policy.model().attachAdapter(lora);
      boolean sameReference = policyDir.toAbsolutePath().normalize()
          .equals(request.reference().directory().toAbsolutePath().normalize());
      lora.setEnabled(false);
      ReferenceLogps refs = referenceLogps(request, sameReference ? policy : null);
      lora.setEnabled(true);
      LOG.info("LoRA: {} trainable parameters in {} modules (rank {}, scaling {}), base of {} "
              + "parameters frozen", lora.parameterCount(), lora.modules().size(), lora.rank(),
          lora.scaling(), policy.model().parameterCount());
      return new Run(request, policy, refs, report, lora).execute();
    }
  }

  /**
   * Loads or computes the reference log-probs of every response in the request, with the given
   * model or, when null, the reference loaded from its directory.
   */
  private ReferenceLogps referenceLogps(TrainingRequest request, LoadedVlm loaded) {
    Path file = request.outputDirectory().resolve(ReferenceLogps.FILE_NAME);
    ReferenceLogps cache = ReferenceLogps.read(file, request.reference().id());
    Map<String, Prompt> promptOf = new LinkedHashMap<>();
    Map<String, Response> missing = new LinkedHashMap<>();
    for (PreferencePair p : request.pairs()) {
      for (Response r : List.of(p.chosen().response(), p.rejected().response())) {
        if (cache.get(p.prompt(), r).isEmpty()) {
          missing.putIfAbsent(ReferenceLogps.key(r), r);
          promptOf.putIfAbsent(ReferenceLogps.key(r), p.prompt());
        }
      }
    }
    if (missing.isEmpty()) {
      LOG.info("reference log-probs: all {} cached in {}", cache.size(), file);
      return cache;
    }
    long t0 = System.nanoTime();
    List<Response> todo = new ArrayList<>(missing.values());
    try (LoadedVlm opened = loaded == null
            ? LoadedVlm.load(request.reference().directory(), device) : null;
        NoGrad noGrad = new NoGrad()) {
      LoadedVlm reference = loaded == null ? opened : loaded;
      for (int start = 0; start < todo.size(); start += referenceBatchSize) {
        List<Response> chunk = todo.subList(start, Math.min(todo.size(), start + referenceBatchSize));
        List<Image> images = new ArrayList<>(chunk.size());
        List<String> prompts = new ArrayList<>(chunk.size());
        List<String> texts = new ArrayList<>(chunk.size());
        for (Response r : chunk) {
          Prompt p = promptOf.get(ReferenceLogps.key(r));
          images.add(p.image());
          prompts.add(p.text());
          texts.add(r.text());
        }
        try (NDManager sm = reference.model().manager().newSubManager();
            NDScope scope = new NDScope()) {
          TeacherForcingBatch b = TeacherForcing.batch(reference, sm, images, prompts, texts);
          NDArray tokenLogps = ResponseLogProbs.tokenLogProbs(reference, b);
          float[] sums = tokenLogps.sum(new int[] {1}).toFloatArray();
          float[] counts = b.targetMask().toType(DataType.FLOAT32, false).sum(new int[] {1}).toFloatArray();
          for (int i = 0; i < chunk.size(); i++) {
            Response r = chunk.get(i);
            if (!Float.isFinite(sums[i])) {
              throw new InvalidInputException(
                  "reference model " + request.reference().id() + " gives a non-finite log-prob ("
                      + sums[i] + ") for response " + r.index() + " to prompt " + r.promptId());
            }
            cache.put(promptOf.get(ReferenceLogps.key(r)), r, sums[i], Math.round(counts[i]));
          }
        }
      }
    }
    cache.write(file);
    LOG.info(
        "reference log-probs: computed {} in {} ms, {} cached in {}",
        todo.size(),
        (System.nanoTime() - t0) / 1_000_000,
        cache.size(),
        file);
    return cache;
  }

  /** The state of one training run. */
  private final class Run {
    private final TrainingRequest request;
    private final DpoConfig cfg;
    private final LoadedVlm policy;
    private final ReferenceLogps refs;
    private final TrainingReport report;
    private final TrainingListener listener;
    private final Map<String, NDArray> params;
    private final LoraAdapter lora;
    private final DpoStep dpoStep;
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<TrainingMetrics> history = new ArrayList<>();
    private Path lastGood;

    Run(TrainingRequest request, LoadedVlm policy, ReferenceLogps refs, TrainingReport report,
        LoraAdapter lora) {
      this.request = request;
      this.cfg = request.config();
      this.policy = policy;
      this.refs = refs;
      this.report = report;
      this.listener = request.listener();
      this.lora = lora;
      this.params = lora == null ? policy.model().parameters() : lora.parameters();
      this.dpoStep = new DpoStep(policy, cfg);
    }

    TrainingResult execute() {
      List<PreferencePair> pairs = request.pairs();
      int n = pairs.size();
      int perEpoch = Batching.stepsPerEpoch(n, cfg.batchSize(), cfg.gradAccumulationSteps());
      long total = (long) perEpoch * cfg.epochs();
      List<Long> saveAt = Batching.checkpointSteps(perEpoch, cfg.epochs(), cfg.checkpointsPerEpoch());
      LrScheduler schedule =
          new LrScheduler(cfg.schedule(), cfg.learningRate(), total, cfg.warmupRatio());
      LOG.info(
          "DPO: {} pairs, {} epochs x {} steps (batch {} x {} accumulation), checkpoints at {}",
          n,
          cfg.epochs(),
          perEpoch,
          cfg.batchSize(),
          cfg.gradAccumulationSteps(),
          saveAt);
      for (NDArray p : params.values()) {
        p.setRequiresGradient(true);
      }
      if (lora != null) {
        // dropout on the adapters' input draws from the engine's generator
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) cfg.seed());
        lora.setTraining(true);
      }
      lastGood = save(0, false);
      long step = 0;
      try (AdamW optimizer = new AdamW(params, cfg.weightDecay())) {
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
          MetricMeans epochMeans = new MetricMeans();
          List<List<Integer>> micro = Batching.batches(n, cfg.batchSize(), cfg.seed(), epoch);
          int inEpoch = 0;
          for (List<List<Integer>> group : Batching.steps(micro, cfg.gradAccumulationSteps())) {
            step++;
            inEpoch++;
            MetricMeans stepMeans = new MetricMeans();
            for (List<Integer> batch : group) {
              microBatch(batch, group.size(), step, stepMeans);
            }
            double norm = Gradients.globalNorm(params.values());
            if (!Double.isFinite(norm)) {
              optimizer.zeroGradients();
              throw diverged(step, "gradient norm " + norm);
            }
            double lr = schedule.rate(step);
            optimizer.step(lr, Gradients.clipFactor(norm, cfg.maxGradNorm()));
            Map<String, Double> values = stepMeans.means();
            values.put("grad_norm", norm);
            values.put("learning_rate", lr);
            TrainingMetrics m =
                new TrainingMetrics(step, epoch + (double) inEpoch / perEpoch, values);
            history.add(m);
            epochMeans.addAll(values);
            report.step(m);
            listener.onStep(m, total);
            if (LOG.isDebugEnabled()) {
              LOG.debug("DPO step {}/{}: {}", step, total, m.values());
            }
            if (saveAt.contains(step)) {
              Path dir = save(step, true);
              lastGood = dir;
            }
          }
          TrainingMetrics em = new TrainingMetrics(step, epoch + 1, epochMeans.means());
          report.epoch(em);
          listener.onEpoch(em);
          LOG.info("DPO epoch {}: {}", epoch + 1, em.values());
        }
      }
      return new TrainingResult(checkpoints, history);
    }

    /** Forward and backward over one micro-batch of pairs; adds its metrics to {@code means}. */
    private void microBatch(List<Integer> batch, int groupSize, long step, MetricMeans means) {
      List<DpoStep.PairRow> rows = new ArrayList<>(batch.size());
      for (int i : batch) {
        PreferencePair p = request.pairs().get(i);
        rows.add(
            new DpoStep.PairRow(
                p.prompt().image(),
                p.prompt().text(),
                p.chosen().response().text(),
                p.rejected().response().text(),
                reference(p.prompt(), p.chosen().response()),
                reference(p.prompt(), p.rejected().response())));
      }
      float loss = dpoStep.run(rows, groupSize, means);
      if (!Float.isFinite(loss)) {
        throw diverged(step, "loss " + loss + " on pairs of prompts " + promptIds(batch));
      }
    }

    private float reference(Prompt prompt, Response r) {
      ReferenceLogps.Entry e =
          refs.get(prompt, r)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no reference log-prob for response " + r.index() + " to prompt "
                              + r.promptId()));
      return (float) (cfg.lengthAveraged() ? e.logp() / e.tokens() : e.logp());
    }

    private List<String> promptIds(List<Integer> batch) {
      List<String> ids = new ArrayList<>(batch.size());
      for (int i : batch) {
        ids.add(request.pairs().get(i).prompt().id());
      }
      return ids;
    }

    /** Writes {@code checkpoint-STEP} after checking that every weight is finite. */
    private Path save(long step, boolean announce) {
      if (!Gradients.allFinite(params.values())) {
        throw diverged(step, "non-finite weights after the update");
      }
      String name = "checkpoint-" + step;
      Path dir = org.rlaifv.core.io.AtomicFiles.writeDirectory(request.outputDirectory(), name,
          tmp -> {
            if (lora == null) {
              policy.save(tmp);
            } else {
              lora.save(tmp, request.policy().directory().toAbsolutePath().normalize().toString());
            }
            writeProvenance(tmp.resolve(PROVENANCE_FILE), name, step);
          });
      if (announce) {
        Path base = request.outputDirectory().toAbsolutePath().normalize().getFileName();
        Checkpoint cp = new Checkpoint((base == null ? "" : base + "/") + name, dir);
        checkpoints.add(cp);
        listener.onCheckpoint(cp);
        LOG.info("wrote {}", dir);
      }
      return dir;
    }

    /**
     * Writes what made a checkpoint beside its weights: the request's provenance (run, iteration,
     * pairs file and its SHA-256, roles), the policy and reference, the step and the DPO settings.
     */
    private void writeProvenance(Path file, String name, long step) {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind
          .ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
      com.fasterxml.jackson.databind.node.ObjectNode root = json.createObjectNode();
      root.put("checkpoint", name);
      root.put("step", step);
      root.put("trainer", org.rlaifv.Provenance.nameOf(DjlDpoTrainer.class));
      root.put("policy", request.policy().id());
      root.put("reference", request.reference().id());
      root.put("pairs", request.pairs().size());
      root.set("dpoConfig", org.rlaifv.core.io.Json.toTree(cfg));
      root.set("request", json.valueToTree(request.provenance()));
      org.rlaifv.core.io.AtomicFiles.write(file, out -> json.writeValue(out, root));
    }

    private TrainingDivergedException diverged(long step, String what) {
      return new TrainingDivergedException(
          "DPO training diverged at step " + step + ": " + what + "; last good checkpoint: "
              + lastGood,
          step,
          lastGood);
    }
  }
}
