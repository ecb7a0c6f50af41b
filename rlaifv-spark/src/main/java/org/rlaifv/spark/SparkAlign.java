package org.rlaifv.spark;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.io.PairExport;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.BackendSpec;
import org.rlaifv.core.loop.IterationSummary;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.loop.ScorerSpec;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program {@code spark-submit} runs from the cluster jar: RLAIF-V on the user's prompts with
 * the SAMPLE and SCORE stages on the cluster and PAIR, TRAIN and SELECT on the driver, each
 * iteration's pairs also written as RLAIF-V Parquet ({@code RUN/iter-K/pairs.parquet}).
 *
 * <pre>{@code
 * spark-submit --class org.rlaifv.spark.SparkAlign --conf spark.plugins=org.rlaifv.spark.RolesPlugin \
 *     rlaifv-spark-0.1.0-SNAPSHOT-cluster.jar \
 *     --policy /shared/models/sft --labeler /shared/models/labeler \
 *     --prompts /shared/data/prompts.jsonl --out /shared/runs/mine --iterations 4
 * }</pre>
 *
 * <p>Options: {@code --policy DIR}, {@code --labeler DIR}, {@code --prompts FILE} (a {@code .jsonl}
 * prompt file, or Parquet in the RLAIF-V layout), {@code --images DIR} (where the Parquet's image
 * paths are resolved; default: the prompts' directory), {@code --out RUN}, {@code --iterations N}
 * (1), {@code --n N} (8), {@code --temperature X} (1.0), {@code --max-new-tokens N} (512), {@code
 * --seed S} (0), {@code --backend NAME} (djl), {@code --prompts-per-task N} (automatic). Running
 * the same command again resumes the run.
 */
public final class SparkAlign {
  private static final Logger LOG = LoggerFactory.getLogger(SparkAlign.class);

  private static final Set<String> OPTIONS = Set.of("--policy", "--labeler", "--prompts",
      "--images", "--out", "--iterations", "--n", "--temperature", "--max-new-tokens", "--seed",
      "--backend", "--prompts-per-task");

  private SparkAlign() {}

  /**
   * Runs the loop; see the class documentation for the options.
   *
   * @param args the options
   * @throws InvalidInputException naming a missing or unknown option
   */
  public static void main(String[] args) {
    Map<String, String> o = parse(args);
    Path policy = Path.of(required(o, "--policy")).toAbsolutePath().normalize();
    Path labeler = Path.of(required(o, "--labeler")).toAbsolutePath().normalize();
    Path promptsPath = Path.of(required(o, "--prompts")).toAbsolutePath().normalize();
    Path run = Path.of(required(o, "--out")).toAbsolutePath().normalize();
    long seed = Long.parseLong(o.getOrDefault("--seed", "0"));
    BackendSpec backend = new BackendSpec(o.getOrDefault("--backend", "djl"),
        BackendOptions.defaults());

    SparkSession spark = SparkSession.builder().appName("rlaifv-align").getOrCreate();
    try {
      List<Prompt> prompts = promptsPath.toString().endsWith(".jsonl")
          ? SparkPrompts.collect(SparkPrompts.fromJsonl(spark, promptsPath), run)
          : SparkPrompts.collect(SparkPrompts.fromRlaifvParquet(spark, promptsPath.toString()),
              Path.of(o.getOrDefault("--images", promptsPath.getParent().toString())));
      SparkStageRunner runner = new SparkStageRunner(spark);
      if (o.containsKey("--prompts-per-task")) {
        runner = runner.withPromptsPerTask(Integer.parseInt(o.get("--prompts-per-task")));
      }
      LoopResult result = AlignmentLoop.builder()
          .initialPolicy(Checkpoint.of(policy))
          .sampler(backend)
          .scorer(ScorerSpec.ruleBased(backend, Checkpoint.of(labeler)))
          .pairSelector(RlaifvPairSelector.builder().seed(seed).build())
          .trainer(backend.provider().newDpoTrainer(backend.options()))
          .samplingParams(SamplingParams.builder()
              .n(Integer.parseInt(o.getOrDefault("--n", "8")))
              .temperature(Double.parseDouble(o.getOrDefault("--temperature", "1.0")))
              .maxNewTokens(Integer.parseInt(o.getOrDefault("--max-new-tokens", "512")))
              .build())
          .dpoConfig(DpoConfig.builder().seed(seed).build())
          .iterations(Integer.parseInt(o.getOrDefault("--iterations", "1")))
          .runDirectory(run)
          .seed(seed)
          .stageRunner(runner)
          .provenance("command", "spark-submit org.rlaifv.spark.SparkAlign")
          .provenance("labeler", labeler.toString())
          .build()
          .run(prompts);
      for (IterationSummary s : result.iterations()) {
        Path dir = run.resolve("iter-" + s.iteration());
        List<PreferencePair> pairs = PairExport.readRunPairs(dir.resolve("pairs.jsonl"), prompts);
        SparkPairs.writeParquet(spark, pairs, dir.resolve("pairs.parquet").toString(),
            result.runId() + "/iter-" + s.iteration());
        LOG.info("iteration {}: {} responses, mean score {}, {} pairs (Parquet in {}), next "
            + "policy {}", s.iteration(), s.responses(), s.meanScore(), s.pairs(),
            dir.resolve("pairs.parquet"), s.selected().directory());
      }
    } finally {
      spark.stop();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!OPTIONS.contains(args[i]) || i + 1 >= args.length) {
        throw new InvalidInputException("unknown option or missing value: " + args[i]
            + " (options: " + String.join(" ", OPTIONS.stream().sorted().toList()) + ")");
      }
      o.put(args[i], args[i + 1]);
    }
    return o;
  }

  private static String required(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new InvalidInputException("SparkAlign needs " + name);
    }
    return v;
  }
}
