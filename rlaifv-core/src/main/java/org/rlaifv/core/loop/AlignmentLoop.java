package org.rlaifv.core.loop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.rlaifv.Candidates;
import org.rlaifv.Checkpoint;
import org.rlaifv.CheckpointSelector;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoTrainer;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PairSelector;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.ResponseSampler;
import org.rlaifv.ResponseScorer;
import org.rlaifv.RlaifvException;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.TrainingResult;
import org.rlaifv.core.io.IterationRecord;
import org.rlaifv.core.io.PairProvenance;
import org.rlaifv.core.io.PairRecord;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;
import org.rlaifv.core.io.RunDirectory;
import org.rlaifv.core.io.StageRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RLAIF-V alignment loop: for each iteration, sample candidates from the current policy, score
 * them with the labeler, select preference pairs, train with DPO, and select the checkpoint that
 * becomes the next policy.
 *
 * <pre>{@code
 * LoopResult result = AlignmentLoop.builder()
 *     .initialPolicy(Checkpoint.of(Path.of("models/sft")))
 *     .sampler(policy -> backend.newSampler(policy, options))   // opened per iteration
 *     .scorer(scorer)                                           // or policy -> ... for self-feedback
 *     .pairSelector(pairSelector)
 *     .trainer(trainer)
 *     .samplingParams(SamplingParams.builder().n(8).build())
 *     .dpoConfig(DpoConfig.builder().nllWeight(1.0).build())
 *     .iterations(4)
 *     .runDirectory(Path.of("runs/demo"))
 *     .listener(new LoopListener() {
 *       @Override public void onIterationEnd(IterationSummary s) { log.info("{}", s); }
 *     })
 *     .build()
 *     .run(prompts);
 * Checkpoint aligned = result.finalPolicy();
 * }</pre>
 *
 * <p><b>Iterations.</b> Iteration k (from 1) samples from policy_k; its training reference is
 * policy_k too (the policy that started the iteration), so the reference of iteration k+1 is the
 * checkpoint selected at iteration k. The sampling seed of iteration k is {@code Seeds.mix(seed,
 * samplingParams.baseSeed(), k)}, and prompt {@code p} is sampled with base seed {@code
 * Seeds.mix(iterationSeed, p.id())}: iterations differ, reruns are identical, and a prompt's
 * samples do not depend on the other prompts. An iteration without pairs skips training (logged
 * and recorded) and keeps its policy.
 *
 * <p><b>Run directory and resume.</b> Every stage's output is kept in the {@link RunDirectory}
 * ({@code iter-K/responses.jsonl}, {@code scores.jsonl}, {@code pairs.jsonl}, {@code train/},
 * {@code training.jsonl}, {@code selected.json}). Running again on the same directory with the same
 * configuration and prompts resumes: finished stages are read back, an interrupted sample or score
 * stage continues after its last finished prompt, and the files come out byte-identical to an
 * uninterrupted run's. A different configuration in an existing directory is refused, naming the
 * differing fields, before any work starts; the configuration includes the {@linkplain
 * Provenance provenance} of the roles (scorer, pair selector, checkpoint selector, trainer), so a
 * resume with another labeler, splitter or pair selector seed is refused too. A scorer made by a
 * factory is described in {@code iter-K/scorer.json} when it starts scoring, and a resumed score
 * stage with a scorer whose provenance differs is refused. Every stage file the manifest records is
 * checked against its SHA-256 when the directory is opened. Raising {@code iterations} on a
 * finished run continues it.
 *
 * <p><b>Adapters.</b> When the trainer trains adapters (a {@link DpoConfig#lora()} setting), its
 * checkpoints hold only the adapters; with an {@link Builder#adapterMerger} set, the selected one
 * is merged into a full model ({@code iter-K/merged}) that becomes the next iteration's policy and
 * reference, as the paper's iterations each start from the last policy.
 *
 * <p><b>Stage runners.</b> The per-prompt work of the sample and score stages is run by a {@link
 * StageRunner} ({@link StageRunner#inProcess()} by default, on the loop's thread); another runner
 * may spread it over threads or machines. The loop reads back, resumes, checks and commits the
 * stages whatever the runner, and a runner does not change the run's files. A runner that computes
 * records in other JVMs (a cluster's executors) needs the sampler and scorer given as specs, which
 * it can ship: {@link Builder#sampler(BackendSpec)} and {@link Builder#scorer(ScorerSpec)}.
 *
 * <p><b>Provenance of checkpoints.</b> The {@link TrainingRequest} of iteration k carries the run
 * id, the iteration, the policy and reference, the seeds, the pairs file's SHA-256 and the roles'
 * provenance; trainers write it beside every checkpoint they produce.
 *
 * <p><b>Ownership.</b> Samplers made by the sampler factory are closed after the sample stage, and
 * scorers made by the scorer factory after the score stage (with try-with-resources: an exception
 * from {@code close} never hides the one that stopped the stage). A fixed scorer, the pair
 * selector, the trainer, the stage runner and the listeners belong to the caller. An instance runs
 * one {@link #run} at a time.
 *
 * <p><b>Listeners.</b> Listeners are called through {@link LoopListeners}: one that throws is
 * logged and the run goes on. When the run fails, every listener's {@link LoopListener#onFailure}
 * is called before the exception propagates.
 *
 * <p><b>Cancellation.</b> Interrupting the thread that runs the loop stops it at the next prompt or
 * stage boundary with an {@link RlaifvException} (the interrupt flag stays set); the run directory
 * stays resumable. An exception from a role stops it likewise.
 */
public final class AlignmentLoop {
  private static final Logger LOG = LoggerFactory.getLogger(AlignmentLoop.class);

  private final Builder config;

  private AlignmentLoop(Builder b) {
    this.config = b.copy();
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this loop's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return config.copy();
  }

  /**
   * Runs (or resumes) the loop over the prompts.
   *
   * @param prompts the instructions, with unique ids
   * @return per-iteration summaries and the final policy
   * @throws InvalidInputException when the prompt list is empty, holds a duplicate id (named), or
   *     the run directory belongs to another configuration; also for invalid output of a role
   *     (wrong number of responses, responses to another prompt)
   * @throws org.rlaifv.TrainingDivergedException when training diverges; rerunning resumes at the
   *     training stage
   */
  public synchronized LoopResult run(List<Prompt> prompts) {
    Objects.requireNonNull(prompts, "prompts");
    List<Prompt> ps = RunIdentity.validatePrompts(prompts);
    RunIdentity identity = RunIdentity.of(ps, config.samplingParams, config.dpoConfig, config.seed,
        config.initialPolicy, RunIdentity.roles(config.fixedScorer, config.scorerFactory,
            config.pairSelector, config.checkpointSelector, config.trainer), config.runId);
    RunDirectory run = identity.open(config.runDirectory, config.provenance, config.initialPolicy);
    return new Attempt(run, identity).runAll();
  }

  /** The state of one call to {@link #run}. */
  private final class Attempt {
    private final RunDirectory run;
    private final RunContext context;
    private final List<Prompt> prompts;
    private final Map<String, Prompt> byId = new LinkedHashMap<>();
    private final LoopListeners listeners = LoopListeners.of(config.listeners);
    private final String rolesJson;

    Attempt(RunDirectory run, RunIdentity identity) {
      this.run = run;
      this.prompts = identity.prompts();
      this.rolesJson = identity.rolesJson();
      this.context = new RunContext(run, prompts, listeners);
      for (Prompt p : prompts) {
        byId.put(p.id(), p);
      }
    }

    LoopResult runAll() {
      Checkpoint policy = config.initialPolicy;
      List<IterationSummary> summaries = new ArrayList<>();
      for (int k = 1; k <= config.iterations; k++) {
        IterationRecord rec = run.iteration(k).orElse(null);
        IterationSummary summary;
        if (rec != null && rec.finished()) {
          summary = IterationSummaries.fromManifest(rec);
          LOG.info("iteration {} of run {} already finished; selected {}", k, run.runId(),
              summary.selected().id());
        } else {
          context.clearCurrent();
          try {
            summary = iterate(k, policy);
          } catch (RuntimeException | Error e) {
            listeners.onFailure(k, context.current(), e);
            throw e;
          }
        }
        summaries.add(summary);
        policy = summary.selected();
      }
      return new LoopResult(run.runId(), run.root(), summaries, policy);
    }

    private IterationSummary iterate(int k, Checkpoint policy) {
      long start = System.nanoTime();
      Checkpoint reference = policy;
      long samplingSeed = Seeds.mix(config.seed, config.samplingParams.baseSeed(), k);
      run.startIteration(k, policy, reference, samplingSeed);
      LOG.info("iteration {} of run {}: policy {}, reference {}", k, run.runId(), policy.id(),
          reference.id());
      List<PromptResponses> responses = new SampleStage(context, k, policy, samplingSeed,
          config.samplerFactory, config.samplerSpec, config.samplingParams)
          .run(config.stageRunner);
      List<PromptScores> scores = new ScoreStage(context, k, policy, samplingSeed,
          config.fixedScorer, config.scorerFactory, responses).run(config.stageRunner);
      List<PreferencePair> pairs = pair(k, policy, reference, samplingSeed, scores);
      List<Checkpoint> trained = train(k, policy, reference, pairs);
      Checkpoint selected = select(k, policy, trained);
      IterationSummary summary = IterationSummaries.of(k, policy, reference, selected,
          prompts.size(), responses, scores, pairs.size(), trained.isEmpty(),
          RunContext.seconds(start));
      run.finishIteration(k, IterationSummaries.toManifest(summary, run));
      listeners.onIterationEnd(summary);
      LOG.info("iteration {} finished: {} responses, {} scored, mean score {}, {} pairs, selected {}",
          k, summary.responses(), summary.scored(), summary.meanScore(), summary.pairs(),
          selected.id());
      return summary;
    }

    private List<PreferencePair> pair(int k, Checkpoint policy, Checkpoint reference,
        long samplingSeed, List<PromptScores> scores) {
      Stage stage = Stage.PAIR;
      context.startStage(k, stage, -1);
      if (run.stageDone(k, stage.key())) {
        List<PreferencePair> pairs = new ArrayList<>();
        for (PairRecord r : run.readStage(k, stage.key(), PairRecord.class)) {
          pairs.add(r.toPair(byId));
        }
        context.endStage(k, stage, pairs.size(), 0, true);
        return pairs;
      }
      long t0 = System.nanoTime();
      List<Candidates> groups = new ArrayList<>(prompts.size());
      for (int i = 0; i < prompts.size(); i++) {
        groups.add(new Candidates(prompts.get(i), scores.get(i).scored()));
      }
      List<PreferencePair> pairs = List.copyOf(config.pairSelector.select(groups));
      PairProvenance prov = new PairProvenance(run.runId(), k, policy.id(), reference.id(),
          config.seed, samplingSeed);
      List<PairRecord> records = new ArrayList<>(pairs.size());
      for (PreferencePair pair : pairs) {
        RoleChecks.pair(pair, byId);
        records.add(PairRecord.of(pair, prov));
      }
      run.writeStage(k, stage.key(), stage.fileName(), records);
      context.endStage(k, stage, pairs.size(), RunContext.seconds(t0), false);
      return pairs;
    }

    private List<Checkpoint> train(
        int k, Checkpoint policy, Checkpoint reference, List<PreferencePair> pairs) {
      Stage stage = Stage.TRAIN;
      context.startStage(k, stage, -1);
      if (run.stageDone(k, stage.key())) {
        List<Checkpoint> trained = run.iteration(k).orElseThrow().trainedCheckpoints();
        context.endStage(k, stage, trained.size(), 0, true);
        return trained;
      }
      long t0 = System.nanoTime();
      if (pairs.isEmpty()) {
        LOG.warn("iteration {} of run {} has no preference pairs: training skipped, policy {} kept",
            k, run.runId(), policy.id());
        run.recordTraining(k, List.of(), true);
        run.recordEmptyStage(k, stage.key());
        context.endStage(k, stage, 0, RunContext.seconds(t0), false);
        return List.of();
      }
      TrainingRequest request = new TrainingRequest(policy, reference, pairs, config.dpoConfig,
          run.trainDirectory(k), new ListenerAdapter(k), trainingProvenance(k, policy, reference));
      TrainingResult result = config.trainer.train(request);
      run.recordTraining(k, result.checkpoints(), false);
      run.writeStage(k, stage.key(), stage.fileName(), result.history());
      context.endStage(k, stage, result.checkpoints().size(), RunContext.seconds(t0), false);
      return result.checkpoints();
    }

    private Map<String, String> trainingProvenance(int k, Checkpoint policy, Checkpoint reference) {
      Map<String, String> m = new TreeMap<>();
      m.put("runId", run.runId());
      m.put("runDirectory", run.root().toString());
      m.put("iteration", Integer.toString(k));
      m.put("policy", policy.id());
      m.put("reference", reference.id());
      m.put("seed", Long.toString(config.seed));
      m.put("samplingSeed", Long.toString(run.iteration(k).orElseThrow().samplingSeed()));
      StageRecord pairs = run.stage(k, Stage.PAIR.key()).orElseThrow();
      m.put("pairs.file", run.root().relativize(run.iterationDirectory(k).resolve(pairs.file()))
          .toString());
      m.put("pairs.count", Integer.toString(pairs.count()));
      m.put("pairs.sha256", pairs.sha256());
      m.put("roles", rolesJson);
      return m;
    }

    private Checkpoint select(int k, Checkpoint policy, List<Checkpoint> trained) {
      Stage stage = Stage.SELECT;
      context.startStage(k, stage, 1);
      if (run.stageDone(k, stage.key())) {
        Checkpoint c = run.resolve(run.readStageJson(k, stage.key(), Checkpoint.class));
        context.endStage(k, stage, 1, 0, true);
        return c;
      }
      long t0 = System.nanoTime();
      Checkpoint chosen = trained.isEmpty()
          ? policy
          : RoleChecks.selected(k, trained, config.checkpointSelector.select(k, trained));
      if (config.adapterMerger != null && !trained.isEmpty()) {
        chosen = config.adapterMerger.merge(chosen, run.iterationDirectory(k).resolve("merged"));
      }
      run.recordSelected(k, chosen);
      run.writeStageJson(k, stage.key(), stage.fileName(), run.relativize(chosen));
      context.endStage(k, stage, 1, RunContext.seconds(t0), false);
      return chosen;
    }
  }

  /** Forwards the trainer's callbacks to the loop's listeners. */
  private final class ListenerAdapter implements TrainingListener {
    private final int iteration;
    private final LoopListeners listeners = LoopListeners.of(config.listeners);

    ListenerAdapter(int iteration) {
      this.iteration = iteration;
    }

    @Override
    public void onStep(TrainingMetrics metrics, long totalSteps) {
      listeners.onTrainingStep(iteration, metrics, totalSteps);
    }

    @Override
    public void onEpoch(TrainingMetrics metrics) {
      listeners.onTrainingEpoch(iteration, metrics);
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
      listeners.onCheckpoint(iteration, checkpoint);
    }
  }

  /**
   * Builder for {@link AlignmentLoop}. Required: {@link #initialPolicy}, {@link #sampler}, one of
   * the {@code scorer} methods, {@link #pairSelector}, {@link #trainer}, {@link #runDirectory}.
   * Validation happens in {@link #build()}.
   */
  public static final class Builder {
    private Checkpoint initialPolicy;
    private Function<Checkpoint, ? extends ResponseSampler> samplerFactory;
    private BackendSpec samplerSpec;
    private Function<Checkpoint, ? extends ResponseScorer> scorerFactory;
    private ResponseScorer fixedScorer;
    private PairSelector pairSelector;
    private DpoTrainer trainer;
    private SamplingParams samplingParams = SamplingParams.builder().build();
    private DpoConfig dpoConfig = DpoConfig.builder().build();
    private int iterations = 4;
    private Path runDirectory;
    private CheckpointSelector checkpointSelector = CheckpointSelector.last();
    private List<LoopListener> listeners = new ArrayList<>();
    private long seed;
    private String runId;
    private Map<String, String> provenance = new TreeMap<>();
    private StageRunner stageRunner = StageRunner.inProcess();
    private AdapterMerger adapterMerger;

    private Builder() {}

    /**
     * Sets the policy the first iteration samples from and trains.
     *
     * @param initialPolicy the starting checkpoint (for example the SFT model)
     * @return this builder
     */
    public Builder initialPolicy(Checkpoint initialPolicy) {
      this.initialPolicy = initialPolicy;
      return this;
    }

    /**
     * Sets how a sampler is opened for a policy. Called once per iteration that has sampling to do,
     * with that iteration's policy; the loop closes the sampler after the sample stage.
     *
     * @param factory opens a sampler over the given policy checkpoint
     * @return this builder
     */
    public Builder sampler(Function<Checkpoint, ? extends ResponseSampler> factory) {
      this.samplerFactory = factory;
      this.samplerSpec = null;
      return this;
    }

    /**
     * Sets the sampler as a backend spec: each iteration opens {@code spec.newSampler(policy)}, and
     * the loop's {@link StageRunner} gets the spec ({@link PromptStage#spec()}), so that a runner
     * may open the sampler in other JVMs (the executors of a cluster). Replaces a factory.
     *
     * @param spec the backend and options that open the policy
     * @return this builder
     */
    public Builder sampler(BackendSpec spec) {
      this.samplerFactory = Objects.requireNonNull(spec, "sampler spec")::newSampler;
      this.samplerSpec = spec;
      return this;
    }

    /**
     * Sets how a scorer is made for a policy. Called once per iteration that has scoring to do, with
     * that iteration's policy, so a self-feedback baseline can judge with the policy itself; the loop
     * closes the scorer after the score stage. The scorer's {@link ResponseScorer#provenance()} is
     * recorded per iteration in {@code iter-K/scorer.json}. Replaces a scorer set with {@link
     * #scorer(ResponseScorer)}.
     *
     * @param factory makes a scorer given the current policy
     * @return this builder
     */
    public Builder scorer(Function<Checkpoint, ? extends ResponseScorer> factory) {
      this.scorerFactory = factory;
      this.fixedScorer = null;
      return this;
    }

    /**
     * Sets the scorer as a spec: a scorer factory ({@link ScorerSpec#apply}) whose description the
     * loop's {@link StageRunner} also gets ({@link PromptStage#spec()}), so that a runner may open
     * the scorer in other JVMs (the executors of a cluster). Replaces a scorer or factory.
     *
     * @param spec the judge's backend and checkpoint and how claims are made
     * @return this builder
     */
    public Builder scorer(ScorerSpec spec) {
      return scorer((Function<Checkpoint, ? extends ResponseScorer>)
          Objects.requireNonNull(spec, "scorer spec"));
    }

    /**
     * Sets one scorer used by every iteration (the labeler does not change). The caller owns and
     * closes it. Replaces a scorer factory.
     *
     * @param scorer the scorer
     * @return this builder
     */
    public Builder scorer(ResponseScorer scorer) {
      this.fixedScorer = scorer;
      this.scorerFactory = null;
      return this;
    }

    /**
     * Sets the pair selector.
     *
     * @param pairSelector chooses preference pairs among each prompt's scored candidates
     * @return this builder
     */
    public Builder pairSelector(PairSelector pairSelector) {
      this.pairSelector = pairSelector;
      return this;
    }

    /**
     * Sets the DPO trainer.
     *
     * @param trainer trains the policy on each iteration's pairs
     * @return this builder
     */
    public Builder trainer(DpoTrainer trainer) {
      this.trainer = trainer;
      return this;
    }

    /**
     * Sets the decoding parameters (default: {@code SamplingParams.builder().build()}, the
     * reference's n = 10, temperature 0.7, 512 new tokens). The loop derives each prompt's base
     * seed from these, the loop seed and the iteration.
     *
     * @param samplingParams the parameters
     * @return this builder
     */
    public Builder samplingParams(SamplingParams samplingParams) {
      this.samplingParams = samplingParams;
      return this;
    }

    /**
     * Sets the DPO configuration passed to the trainer every iteration (default: {@code
     * DpoConfig.builder().build()}).
     *
     * @param dpoConfig the configuration
     * @return this builder
     */
    public Builder dpoConfig(DpoConfig dpoConfig) {
      this.dpoConfig = dpoConfig;
      return this;
    }

    /**
     * Sets the number of iterations (default 4, as the reference).
     *
     * @param iterations at least 0
     * @return this builder
     */
    public Builder iterations(int iterations) {
      this.iterations = iterations;
      return this;
    }

    /**
     * Sets the run directory that keeps every iteration's data and makes the run resumable.
     *
     * @param runDirectory the directory (created when absent)
     * @return this builder
     */
    public Builder runDirectory(Path runDirectory) {
      this.runDirectory = runDirectory;
      return this;
    }

    /**
     * Sets how the next policy is chosen among the checkpoints training wrote (default: the last).
     *
     * @param checkpointSelector the selector, for example one that scores a validation split
     * @return this builder
     */
    public Builder checkpointSelector(CheckpointSelector checkpointSelector) {
      this.checkpointSelector = checkpointSelector;
      return this;
    }

    /**
     * Adds a listener; several may be added and are called in the order added. A listener that
     * throws is logged and does not stop the run.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(LoopListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets the loop seed (default 0), from which every iteration's sampling seed is derived.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Sets the run id recorded in the manifest and in every pair's provenance. By default it is
     * derived from the configuration and the prompts, so the same setup gets the same id.
     *
     * @param runId a non-blank id
     * @return this builder
     */
    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    /**
     * Adds a provenance fact recorded in the manifest when the run directory is created (for
     * example the labeler's model id).
     *
     * @param key the fact's name
     * @param value its value
     * @return this builder
     */
    public Builder provenance(String key, String value) {
      this.provenance.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets how the per-prompt work of the sample and score stages is run (default: {@link
     * StageRunner#inProcess()}, one prompt after the other on the thread that runs the loop). The
     * runner is not part of the run's configuration: it does not change the run's files, and a
     * run may be resumed with another runner. The caller owns it.
     *
     * @param stageRunner the runner
     * @return this builder
     */
    public Builder stageRunner(StageRunner stageRunner) {
      this.stageRunner = stageRunner;
      return this;
    }

    /**
     * Sets how a selected checkpoint made of adapters (a trainer training LoRA adapters writes
     * those) becomes the next iteration's full policy: merged into {@code iter-K/merged}, which
     * {@code selected.json} then names. Unset (the default), the selected checkpoint is used as it
     * is.
     *
     * @param merger writes the merged model, or null for none
     * @return this builder
     */
    public Builder adapterMerger(AdapterMerger merger) {
      this.adapterMerger = merger;
      return this;
    }

    /**
     * Builds the loop after checking that every required part is set.
     *
     * @return the loop
     * @throws InvalidInputException naming the missing or invalid setting
     */
    public AlignmentLoop build() {
      require(initialPolicy, "initialPolicy");
      require(samplerFactory, "sampler");
      if (scorerFactory == null && fixedScorer == null) {
        throw new InvalidInputException("AlignmentLoop needs a scorer: call scorer(...)");
      }
      require(pairSelector, "pairSelector");
      require(trainer, "trainer");
      require(samplingParams, "samplingParams");
      require(dpoConfig, "dpoConfig");
      require(runDirectory, "runDirectory");
      require(checkpointSelector, "checkpointSelector");
      require(stageRunner, "stageRunner");
      if (iterations < 0) {
        throw new InvalidInputException("AlignmentLoop.iterations must be >= 0, got " + iterations);
      }
      if (runId != null && (runId.isBlank() || runId.contains("\n"))) {
        throw new InvalidInputException("AlignmentLoop.runId must be a non-blank single line");
      }
      return new AlignmentLoop(this);
    }

    private static void require(Object value, String name) {
      if (value == null) {
        throw new InvalidInputException("AlignmentLoop needs " + name + ": call " + name + "(...)");
      }
    }

    private Builder copy() {
      Builder b = new Builder();
      b.initialPolicy = initialPolicy;
      b.samplerFactory = samplerFactory;
      b.samplerSpec = samplerSpec;
      b.scorerFactory = scorerFactory;
      b.fixedScorer = fixedScorer;
      b.pairSelector = pairSelector;
      b.trainer = trainer;
      b.samplingParams = samplingParams;
      b.dpoConfig = dpoConfig;
      b.iterations = iterations;
      b.runDirectory = runDirectory;
      b.checkpointSelector = checkpointSelector;
      b.listeners = new ArrayList<>(listeners);
      b.seed = seed;
      b.runId = runId;
      b.provenance = new TreeMap<>(provenance);
      b.stageRunner = stageRunner;
      b.adapterMerger = adapterMerger;
      return b;
    }
  }
}
