package org.rlaifv.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.RlaifvException;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.loop.PromptStage;
import org.rlaifv.core.loop.StageRunner;
import org.rlaifv.core.loop.StageSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * Runs the alignment loop's SAMPLE and SCORE stages on a Spark cluster: the pending prompts are
 * split into tasks, each executor opens the stage's role once ({@link ExecutorRoles}) from the
 * stage's {@link StageSpec}, and the driver delivers the records to the loop in prompt order as
 * the tasks finish. PAIR, TRAIN and SELECT stay on the driver, and the run directory is the
 * driver's: the loop appends each delivered record to the stage's partial file and commits the
 * stage file only once every record is in, so a failed job leaves a resumable run, and a resumed
 * run neither redoes committed stages nor the prompts already delivered.
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().appName("rlaifv").getOrCreate();
 * BackendSpec djl = new BackendSpec("djl", BackendOptions.defaults());
 * LoopResult result = AlignmentLoop.builder()
 *     .initialPolicy(Checkpoint.of(Path.of("/shared/models/sft")))
 *     .sampler(djl)                                                  // a spec, not a function
 *     .scorer(ScorerSpec.ruleBased(djl, Checkpoint.of(Path.of("/shared/models/labeler"))))
 *     .stageRunner(new SparkStageRunner(spark))
 *     .runDirectory(Path.of("/shared/runs/mine"))                    // executors read policies here
 *     ...
 *     .build()
 *     .run(prompts);
 * }</pre>
 *
 * <p><b>Requirements.</b> The loop's sampler and scorer must be given as specs ({@link
 * org.rlaifv.core.loop.AlignmentLoop.Builder#sampler(org.rlaifv.core.loop.BackendSpec)}, {@link
 * org.rlaifv.core.loop.AlignmentLoop.Builder#scorer(org.rlaifv.core.loop.ScorerSpec)}): a function
 * cannot be shipped. Every checkpoint they name, and the run directory (where each iteration's
 * trained policy is written), must be readable by the executors at the same path: a shared
 * filesystem. Executors need the backend (for example {@code rlaifv-djl}) on their class path.
 *
 * <p><b>Determinism and failures.</b> A record depends only on the stage spec (iteration seed,
 * policy, roles) and the prompt, so a task that Spark retries after an executor was lost, or runs
 * twice speculatively, yields the same records, and the run's files are byte-identical to an
 * in-process run's. When the job fails (more task failures than {@code spark.task.maxFailures}),
 * the records delivered so far are kept and the exception propagates; running the loop again
 * resumes.
 *
 * <p><b>Threading.</b> {@link #run} blocks the loop's thread until the stage's job ends;
 * interrupting that thread cancels the job. The runner holds no state between stages; the caller
 * owns the session.
 */
public final class SparkStageRunner implements StageRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStageRunner.class);

  private final SparkSession spark;
  private final int promptsPerTask;

  /**
   * Creates a runner that splits a stage into about four tasks per core of the cluster ({@code
   * defaultParallelism}), so that a lost executor's share is redone in small pieces.
   *
   * @param spark the session whose cluster runs the stages; owned by the caller
   */
  public SparkStageRunner(SparkSession spark) {
    this(spark, 0);
  }

  private SparkStageRunner(SparkSession spark, int promptsPerTask) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.promptsPerTask = promptsPerTask;
  }

  /**
   * Returns a runner that puts a fixed number of prompts in each task.
   *
   * @param promptsPerTask at least 1
   * @return the new runner
   */
  public SparkStageRunner withPromptsPerTask(int promptsPerTask) {
    if (promptsPerTask < 1) {
      throw new InvalidInputException("promptsPerTask must be >= 1, got " + promptsPerTask);
    }
    return new SparkStageRunner(spark, promptsPerTask);
  }

  /** A partition's outcome, handed from Spark's scheduler thread to the loop's. */
  private record Done(TaskOutput[] outputs) {}

  @Override
  public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
    StageSpec spec = stage.spec().orElseThrow(() -> new InvalidInputException("iteration "
        + stage.iteration() + " stage " + stage.stage().key() + " cannot run on Spark: give the "
        + "loop its sampler and scorer as specs (AlignmentLoop.Builder.sampler(BackendSpec), "
        + "scorer(ScorerSpec)), which executors can open; a function cannot be shipped"));
    requireAbsolute(stage, spec);
    List<Prompt> pending = stage.pending();
    List<PromptTask> tasks = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      Prompt p = pending.get(i);
      tasks.add(PromptTask.of(i, p, stage.input(p).map(Json::toJson).orElse(null)));
    }
    SparkContext sc = spark.sparkContext();
    int slices = slices(pending.size(), sc.defaultParallelism());
    JavaRDD<PromptTask> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(tasks, slices);
    BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    List<Object> partitions = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      partitions.add(i);
    }
    LOG.info("iteration {} stage {}: {} prompts in {} tasks on {}", stage.iteration(),
        stage.stage().key(), pending.size(), slices, sc.master());
    sc.setJobDescription("rlaifv iteration " + stage.iteration() + " " + stage.stage().key());
    SimpleFutureAction<BoxedUnit> job = sc.submitJob(rdd.rdd(),
        new ComputePartition(spec.toJson()),
        scala.jdk.javaapi.CollectionConverters.asScala(partitions).toSeq(),
        new AbstractFunction2<Object, TaskOutput[], BoxedUnit>() {
          @Override
          public BoxedUnit apply(Object index, TaskOutput[] outputs) {
            done.add(new Done(outputs));
            return BoxedUnit.UNIT;
          }
        },
        new AbstractFunction0<BoxedUnit>() {
          @Override
          public BoxedUnit apply() {
            return BoxedUnit.UNIT;
          }
        });
    try {
      deliver(stage, sink, job, done, pending.size());
    } finally {
      if (!job.isCompleted()) {
        job.cancel();
      }
    }
  }

  /** Delivers records in prompt order as partitions finish, until all are in or the job fails. */
  private <R> void deliver(PromptStage<R> stage, Consumer<? super R> sink,
      SimpleFutureAction<BoxedUnit> job, BlockingQueue<Done> done, int total) {
    List<R> records = new ArrayList<>(Collections.nCopies(total, null));
    Set<String> roles = new HashSet<>();
    int next = 0;
    while (next < total) {
      Done d;
      try {
        d = done.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RlaifvException("iteration " + stage.iteration() + " stage "
            + stage.stage().key() + " interrupted after " + next + " of " + total
            + " prompts; the Spark job is cancelled, and rerunning the loop resumes");
      }
      if (d == null) {
        if (job.isCompleted() && done.isEmpty()) {
          Try<BoxedUnit> outcome = job.value().get();
          if (outcome.isFailure()) {
            Throwable cause = outcome.failed().get();
            throw new RlaifvException("the Spark job of iteration " + stage.iteration()
                + " stage " + stage.stage().key() + " failed after " + next + " of " + total
                + " prompts were delivered (they are kept; rerunning the loop resumes): "
                + cause.getMessage(), cause);
          }
          if (done.isEmpty() && next < total) {
            throw new InvalidInputException("the Spark job of iteration " + stage.iteration()
                + " stage " + stage.stage().key() + " returned " + next + " of " + total
                + " records");
          }
        }
        continue;
      }
      for (TaskOutput o : d.outputs()) {
        if (roles.add(o.role())) {
          stage.checkRole(Json.fromJson(o.role(), Provenance.class));
        }
        records.set(o.index(), Json.fromJson(o.record(), stage.recordType()));
      }
      while (next < total && records.get(next) != null) {
        sink.accept(records.get(next));
        records.set(next, null);
        next++;
      }
    }
  }

  /**
   * Refuses model paths that executors would resolve against their own working directories: the
   * policy (under a relative run directory, say) and the scorer's checkpoints.
   */
  private static void requireAbsolute(PromptStage<?> stage, StageSpec spec) {
    List<Checkpoint> models = new ArrayList<>();
    models.add(spec.policy());
    if (spec.scorer() != null) {
      models.add(spec.scorer().judgeFor(spec.policy()));
      if (spec.scorer().claimModel() != null) {
        models.add(spec.scorer().claimModel());
      }
    }
    for (Checkpoint c : models) {
      if (!c.directory().isAbsolute()) {
        throw new InvalidInputException("iteration " + stage.iteration() + " stage "
            + stage.stage().key() + " names model " + c.id() + " by the relative path "
            + c.directory() + ", which each executor would resolve in its own working directory;"
            + " give the loop absolute paths (models and run directory on a filesystem every node"
            + " sees at the same path)");
      }
    }
  }

  private int slices(int prompts, int parallelism) {
    int n = promptsPerTask > 0
        ? (prompts + promptsPerTask - 1) / promptsPerTask
        : Math.max(1, parallelism) * 4;
    return Math.max(1, Math.min(prompts, n));
  }

  @Override
  public String toString() {
    return "SparkStageRunner[" + spark.sparkContext().master() + "]";
  }
}
