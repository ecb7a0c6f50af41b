package org.rlaifv.spark.internal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.RlaifvException;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.io.PromptScores;
import org.rlaifv.core.loop.BackendSpec;
import org.rlaifv.core.loop.PromptStage;
import org.rlaifv.core.loop.ScorerSpec;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSpec;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spark.LocalStandaloneCluster;
import org.rlaifv.spark.SparkStageRunner;

/**
 * Measures feedback collection (the SAMPLE and SCORE stages) with the ShapesWorld models on a
 * standalone cluster of this machine, first with one one-core worker, then with two: prompts per
 * second over both stages, after a warm-up in which every executor opens its models. The two sizes
 * are measured twice, alternating (the second worker is killed and a new one added), and each keeps
 * its better measurement: on a shared machine, other work only ever slows a measurement down.
 *
 * <p>Spark must be on the class path. A Spark driver on Java 17 needs Spark's module options
 * ({@code --add-opens}); when this JVM was not started with them, the measurement runs in a child
 * JVM that is, with the same class path.
 */
public final class SparkBench {

  /**
   * The workload.
   *
   * @param prompts prompts measured per cluster size
   * @param warmupPrompts prompts run first, unmeasured, so that every executor opens its models
   * @param n responses per prompt
   * @param maxNewTokens longest response
   * @param promptsPerTask prompts per Spark task
   */
  public record Settings(int prompts, int warmupPrompts, int n, int maxNewTokens,
      int promptsPerTask) {

    /**
     * Returns the full workload (the demo's sampling: n = 8, 64 tokens, temperature 1).
     *
     * @param quick a smoke run instead
     * @return the settings
     */
    public static Settings of(boolean quick) {
      return quick ? new Settings(8, 4, 4, 32, 1) : new Settings(64, 8, 8, 64, 2);
    }
  }

  private static final long SEED = 11;

  /** How many times each cluster size is measured, alternating. */
  private static final int PHASES = 2;

  private SparkBench() {}

  /**
   * Runs the measurement, in a child JVM when this one lacks Spark's module options.
   *
   * @param models the directory holding shapes-policy and shapes-labeler
   * @param settings the workload
   * @param workDir scratch space (cluster logs)
   * @return {@code one_worker_prompts_per_s}, {@code two_workers_prompts_per_s}, {@code speedup}
   *     and the workload
   * @throws InvalidInputException when Spark is not on the class path, saying how to add it
   */
  public static Map<String, Object> measure(Path models, Settings settings, Path workDir) {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkBench.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new InvalidInputException("bench --spark needs Apache Spark on the class path, e.g. "
          + "java -cp \"examples/target/rlaifv.jar:$(cat rlaifv-spark/target/spark-classpath.txt)\" "
          + "org.rlaifv.examples.Main bench --spark --out DIR (or $SPARK_HOME/jars/* instead of "
          + "the file's list)");
    }
    Module javaBase = Object.class.getModule();
    if (javaBase.isOpen("sun.nio.ch", SparkBench.class.getModule())) {
      return inThisJvm(models, settings, workDir);
    }
    return inChildJvm(models, settings, workDir);
  }

  /**
   * The child JVM's entry point: {@code MODELS OUT_JSON WORK_DIR PROMPTS WARMUP N TOKENS PER_TASK}.
   *
   * @param args the arguments
   * @throws IOException when the result cannot be written
   */
  public static void main(String[] args) throws IOException {
    Settings s = new Settings(Integer.parseInt(args[3]), Integer.parseInt(args[4]),
        Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
    Map<String, Object> result = inThisJvm(Path.of(args[0]), s, Path.of(args[2]));
    Files.writeString(Path.of(args[1]), Json.toJson(result));
  }

  private static Map<String, Object> inChildJvm(Path models, Settings s, Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path out = workDir.resolve("spark-bench.json");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.asList(
          org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()));
      // slf4j-simple (the command line's logger) would print Spark's INFO lines.
      cmd.addAll(List.of("-Xmx1g", "-Dai.djl.offline=true",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-Dorg.slf4j.simpleLogger.log.org.rlaifv=info", "-cp",
          System.getProperty("java.class.path"), SparkBench.class.getName(),
          models.toAbsolutePath().toString(), out.toString(), workDir.toString(),
          Integer.toString(s.prompts()), Integer.toString(s.warmupPrompts()),
          Integer.toString(s.n()), Integer.toString(s.maxNewTokens()),
          Integer.toString(s.promptsPerTask())));
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      pb.environment().put("OPT_OUT_TRACKING", "true");
      Process p = pb.start();
      int code = p.waitFor();
      if (code != 0) {
        throw new RlaifvException("the Spark benchmark's driver JVM exited with " + code);
      }
      Map<String, Object> m = Json.reader().forType(LinkedHashMap.class)
          .readValue(Files.readString(out));
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the Spark benchmark in " + workDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RlaifvException("interrupted while running the Spark benchmark");
    }
  }

  private static Map<String, Object> inThisJvm(Path models, Settings s, Path workDir) {
    BackendSpec djl = new BackendSpec("djl", BackendOptions.defaults());
    Checkpoint policy = Checkpoint.of(models.resolve("shapes-policy").toAbsolutePath());
    ScorerSpec scorer = ScorerSpec.ruleBased(djl,
        Checkpoint.of(models.resolve("shapes-labeler").toAbsolutePath()));
    SamplingParams params = SamplingParams.builder().n(s.n()).temperature(1.0)
        .maxNewTokens(s.maxNewTokens()).build();
    ShapesWorld world = ShapesWorld.defaults();
    List<Prompt> warmup = world.prompts(Split.VALIDATION, s.warmupPrompts(), SEED);
    List<Prompt> measured = world.prompts(Split.TRAIN, s.prompts(), SEED);
    String classPath = System.getProperty("java.class.path");
    Map<String, Object> m = new LinkedHashMap<>();
    try (LocalStandaloneCluster cluster =
        LocalStandaloneCluster.start(workDir.resolve("cluster"), 1, 1, classPath)) {
      org.apache.spark.sql.SparkSession.Builder b = org.apache.spark.sql.SparkSession.builder()
          .master(cluster.masterUrl()).appName("rlaifv-bench-spark")
          .config("spark.executor.memory", "1g");
      cluster.driverConf().forEach(b::config);
      org.apache.spark.sql.SparkSession spark = b.getOrCreate();
      try {
        SparkStageRunner runner =
            new SparkStageRunner(spark).withPromptsPerTask(s.promptsPerTask());
        // Warm-up: tasks of one prompt each, so that every executor opens its models, then an
        // unmeasured pass over the measured prompts, so that a new executor's JIT has compiled
        // the hot paths as an old one's has.
        SparkStageRunner warm = new SparkStageRunner(spark).withPromptsPerTask(1);
        LocalStandaloneCluster.awaitExecutors(spark.sparkContext(), 1);
        collect(warm, policy, djl, scorer, params, warmup);
        collect(warm, policy, djl, scorer, params, measured);
        // The two sizes alternate (one, two, one, two), so that a change in the machine's other
        // load does not favour the size measured last; each keeps its better phase.
        double one = 0;
        double two = 0;
        List<Double> phases = new ArrayList<>();
        List<Double> cores = new ArrayList<>();
        for (int phase = 0; phase < PHASES; phase++) {
          double[] r1 = rate(cluster, runner, policy, djl, scorer, params, measured);
          int added = cluster.addWorker(1);
          LocalStandaloneCluster.awaitExecutors(spark.sparkContext(), 2);
          collect(warm, policy, djl, scorer, params, warmup);
          collect(warm, policy, djl, scorer, params, measured);
          double[] r2 = rate(cluster, runner, policy, djl, scorer, params, measured);
          one = Math.max(one, r1[0]);
          two = Math.max(two, r2[0]);
          phases.add(r1[0]);
          phases.add(r2[0]);
          cores.add(r1[1]);
          cores.add(r2[1]);
          if (phase + 1 < PHASES) {
            cluster.killWorker(added);
            awaitExactly(spark.sparkContext(), 1);
          }
        }
        m.put("one_worker_prompts_per_s", one);
        m.put("two_workers_prompts_per_s", two);
        m.put("speedup", two / one);
        // Prompts per executor core-second, two workers against one: how well the work spreads
        // when the CPU is there (1.0 is linear scaling).
        double perCoreOne = 0;
        double perCoreTwo = 0;
        for (int i = 0; i < phases.size(); i++) {
          double perCore = phases.get(i) / Math.max(1e-9, cores.get(i));
          if (i % 2 == 0) {
            perCoreOne = Math.max(perCoreOne, perCore);
          } else {
            perCoreTwo = Math.max(perCoreTwo, perCore);
          }
        }
        m.put("scaling_efficiency_per_core", perCoreTwo / perCoreOne);
        m.put("phases_prompts_per_s", phases);
        // CPU the executors got during each phase, in cores: on a shared machine the wall-clock
        // speed-up is bounded by how much more CPU two executors get than one.
        m.put("phases_executor_cores_used", cores);
      } finally {
        spark.stop();
      }
    }
    m.put("prompts", s.prompts());
    m.put("samples_per_prompt", s.n());
    m.put("max_new_tokens", s.maxNewTokens());
    m.put("prompts_per_task", s.promptsPerTask());
    m.put("cores_per_worker", 1);
    m.put("phases", PHASES);
    m.put("available_processors", Runtime.getRuntime().availableProcessors());
    return m;
  }

  /**
   * Prompts per second over a SAMPLE and a SCORE stage of the prompts, and the executors' CPU
   * time over the same wall time (cores used).
   */
  private static double[] rate(LocalStandaloneCluster cluster, SparkStageRunner runner,
      Checkpoint policy, BackendSpec djl, ScorerSpec scorer, SamplingParams params,
      List<Prompt> prompts) {
    long cpu0 = cluster.executorCpuTime().toNanos();
    long t0 = System.nanoTime();
    collect(runner, policy, djl, scorer, params, prompts);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (cluster.executorCpuTime().toNanos() - cpu0) / 1e9;
    return new double[] {prompts.size() / seconds, cpu / seconds};
  }

  /** Waits until the application has exactly this many executors (a killed one is removed). */
  private static void awaitExactly(org.apache.spark.SparkContext sc, int executors) {
    long deadline = System.currentTimeMillis() + 120_000;
    while (sc.statusTracker().getExecutorInfos().length - 1 != executors) {
      if (System.currentTimeMillis() > deadline) {
        throw new RlaifvException("the application did not come down to " + executors
            + " executors");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RlaifvException("interrupted while waiting for executors");
      }
    }
  }

  private static List<PromptScores> collect(SparkStageRunner runner, Checkpoint policy,
      BackendSpec djl, ScorerSpec scorer, SamplingParams params, List<Prompt> prompts) {
    List<PromptResponses> responses = new ArrayList<>();
    runner.run(new BenchStage<>(Stage.SAMPLE, policy, prompts, PromptResponses.class,
        new StageSpec(Stage.SAMPLE, 1, policy, SEED, params, djl, null), Map.of()),
        responses::add);
    Map<String, PromptResponses> inputs = new HashMap<>();
    responses.forEach(r -> inputs.put(r.promptId(), r));
    List<PromptScores> scores = new ArrayList<>();
    runner.run(new BenchStage<>(Stage.SCORE, policy, prompts, PromptScores.class,
        new StageSpec(Stage.SCORE, 1, policy, SEED, null, null, scorer), inputs), scores::add);
    return scores;
  }

  /** A stage outside any run directory: the runner's work only. */
  private record BenchStage<R>(Stage stage, Checkpoint policy, List<Prompt> pending,
      Class<R> recordType, StageSpec stageSpec, Map<String, PromptResponses> inputs)
      implements PromptStage<R> {

    @Override
    public int iteration() {
      return 1;
    }

    @Override
    public long iterationSeed() {
      return SEED;
    }

    @Override
    public Optional<StageSpec> spec() {
      return Optional.of(stageSpec);
    }

    @Override
    public Optional<PromptResponses> input(Prompt prompt) {
      return Optional.ofNullable(inputs.get(prompt.id()));
    }

    @Override
    public Worker<R> openWorker() {
      throw new UnsupportedOperationException("the benchmark runs its stages on Spark only");
    }
  }
}
