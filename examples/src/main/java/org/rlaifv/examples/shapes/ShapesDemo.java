package org.rlaifv.examples.shapes;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LoraConfig;
import org.rlaifv.LrSchedule;
import org.rlaifv.PairSelector;
import org.rlaifv.PolarJudge;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseScorer;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.IterationSummary;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.core.text.RuleBasedClaimSplitter;
import org.rlaifv.core.text.RuleBasedPolarQuestioner;
import org.rlaifv.djl.DjlAdapterMerger;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.train.DjlDpoTrainer;
import org.rlaifv.examples.LoopProgress;
import org.rlaifv.spi.BackendOptions;

/**
 * The ShapesWorld demo: evaluates the SFT policy, aligns it with RLAIF-V (labeler feedback,
 * divide-and-conquer scoring, pairs, DPO, several iterations, validation-based checkpoint
 * selection), evaluates after every iteration on held-out test scenes, optionally runs the
 * baselines, and writes {@code report.json} and {@code report.png}.
 *
 * <pre>{@code
 * ObjectNode report = new ShapesDemo(ShapesDemo.Settings.defaults(Path.of("examples/models"),
 *     Path.of("runs/demo"), 0L, 4)).run(System.out);
 * }</pre>
 */
public final class ShapesDemo {

  /** Base seed of the test scenes: the same for every demo seed, so runs compare. */
  public static final long TEST_SEED = 0x7E57L;

  /** Validation CHAIR_i differences up to this count as ties in checkpoint selection. */
  static final double CHAIR_TOLERANCE = 0.005;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the demo runs.
   *
   * @param models directory holding shapes-policy and shapes-labeler
   * @param out output directory (report, run directories)
   * @param seed the demo seed (prompts, sampling, pairing, DPO order)
   * @param iterations RLAIF-V iterations
   * @param prompts training prompts per iteration
   * @param samples candidates per prompt
   * @param temperature sampling temperature
   * @param validationPrompts validation scenes for checkpoint selection
   * @param testPrompts held-out test scenes for the reported metrics
   * @param hardQuestions hard polar questions for the labeler's accuracy
   * @param dpo DPO settings
   * @param maxCoverageDrop how far validation coverage may fall below the SFT policy's
   * @param baselines whether to run the baselines
   * @param quick whether this is the reduced configuration
   * @param feedback the judge of the main run: {@code "labeler"} (RLAIF-V) or {@code "oracle"}
   */
  public record Settings(Path models, Path out, long seed, int iterations, int prompts,
      int samples, double temperature, int validationPrompts, int testPrompts, int hardQuestions,
      DpoConfig dpo, double maxCoverageDrop, boolean baselines, boolean quick, String feedback) {

    /**
     * Validates the counts.
     *
     * @param models see the record
     * @param out see the record
     * @param seed see the record
     * @param iterations see the record
     * @param prompts see the record
     * @param samples see the record
     * @param temperature see the record
     * @param validationPrompts see the record
     * @param testPrompts see the record
     * @param hardQuestions see the record
     * @param dpo see the record
     * @param maxCoverageDrop see the record
     * @param baselines see the record
     * @param quick see the record
     * @param feedback see the record
     */
    public Settings {
      if (iterations < 1 || prompts < 1 || samples < 2 || validationPrompts < 1 || testPrompts < 1
          || hardQuestions < 8 || !(feedback.equals("labeler") || feedback.equals("oracle"))) {
        throw new InvalidInputException("demo settings out of range: " + iterations + " iterations, "
            + prompts + " prompts, " + samples + " samples");
      }
    }

    /**
     * Returns the default configuration (DESIGN.md section 5): 256 prompts x 8 samples at T = 1,
     * DPO with beta 0.1, NLL weight 1, lr 5e-5, 3 epochs, one checkpoint per epoch.
     *
     * @param models models directory
     * @param out output directory
     * @param seed demo seed
     * @param iterations iterations
     * @return the settings
     */
    public static Settings defaults(Path models, Path out, long seed, int iterations) {
      DpoConfig dpo = DpoConfig.builder().beta(0.1).nllWeight(1.0).learningRate(5e-5)
          .schedule(LrSchedule.COSINE).warmupRatio(0.1).epochs(3).batchSize(8)
          .checkpointsPerEpoch(4).seed(seed).build();
      return new Settings(models, out, seed, iterations, 256, 8, 1.0, 256, 200, 512, dpo, 0.02,
          false, false, "labeler");
    }

    /**
     * Returns the reduced configuration for tests: fewer prompts, scenes and questions.
     *
     * @param models models directory
     * @param out output directory
     * @param seed demo seed
     * @param iterations iterations
     * @return the settings
     */
    public static Settings quick(Path models, Path out, long seed, int iterations) {
      Settings d = defaults(models, out, seed, iterations);
      return new Settings(models, out, seed, iterations, 48, 8, 1.0, 32, 64, 64,
          d.dpo().toBuilder().epochs(2).checkpointsPerEpoch(1).build(), 0.05, false, true,
          "labeler");
    }

    /**
     * Returns a copy with the baselines switched on or off.
     *
     * @param on whether to run them
     * @return the settings
     */
    public Settings withBaselines(boolean on) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, on, quick, feedback);
    }

    /**
     * Returns a copy with another judge for the main run.
     *
     * @param judge {@code "labeler"} or {@code "oracle"}
     * @return the settings
     */
    public Settings withFeedback(String judge) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, baselines, quick,
          judge);
    }

    /**
     * Returns a copy with other DPO settings.
     *
     * @param config the DPO settings
     * @return the settings
     */
    public Settings withDpo(DpoConfig config) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, config, maxCoverageDrop, baselines, quick,
          feedback);
    }
  }

  /**
   * Returns DPO settings that train LoRA adapters (rank 8, alpha 16, no dropout, every decoder
   * projection; vision tower and projector frozen) at the learning rate adapters need, the rest
   * unchanged. Each iteration's selected adapter is merged and the next iteration starts from it.
   *
   * @param dpo the full-parameter settings
   * @return the settings with adapters
   */
  public static DpoConfig withLora(DpoConfig dpo) {
    return dpo.toBuilder().learningRate(LORA_LEARNING_RATE)
        .lora(LoraConfig.builder().rank(8).alpha(16).dropout(0).build()).build();
  }

  /** The DPO learning rate of {@link #withLora}. */
  static final double LORA_LEARNING_RATE = 5e-4;

  /** One evaluated policy: the row of the report's table. */
  record Row(int iteration, ShapesMetrics.Report test, double labelerAccuracy, int pairs,
      double seconds, String checkpoint) {
    ObjectNode toJson() {
      ObjectNode n = JSON.createObjectNode();
      n.put("iteration", iteration);
      n.put("chair_i", test.chairI());
      n.put("chair_s", test.chairS());
      n.put("coverage", test.coverage());
      n.put("mean_words", test.meanWords());
      n.put("labeler_accuracy", labelerAccuracy);
      n.put("pairs", pairs);
      n.put("seconds", Math.round(seconds * 10) / 10.0);
      n.put("checkpoint", checkpoint);
      return n;
    }
  }

  private final Settings s;
  private final ShapesWorld world = ShapesWorld.defaults();
  private final BackendOptions options = BackendOptions.defaults();

  /**
   * Creates the demo.
   *
   * @param settings what to run
   */
  public ShapesDemo(Settings settings) {
    this.s = settings;
  }

  /**
   * Runs the demo and writes the report files.
   *
   * @param out where the table and summary go
   * @return the report written to {@code report.json}
   */
  public ObjectNode run(PrintStream out) {
    long t0 = System.nanoTime();
    Path policyDir = s.models().resolve(ShapesModels.POLICY);
    Path labelerDir = s.models().resolve(ShapesModels.LABELER);
    for (Path d : List.of(policyDir, labelerDir)) {
      if (!Files.isRegularFile(d.resolve("model.safetensors"))) {
        throw new InvalidInputException("no model in " + d + " (run `rlaifv pretrain --out "
            + s.models() + "` or pass --models DIR)");
      }
    }
    try {
      Files.createDirectories(s.out());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output directory " + s.out(), e);
    }
    // Absolute: the run directory resolves stored relative checkpoint paths against itself.
    Checkpoint sft = Checkpoint.of(policyDir.toAbsolutePath().normalize());
    List<Prompt> train = world.prompts(Split.TRAIN, s.prompts(), s.seed());
    List<Prompt> validation =
        world.prompts(Split.VALIDATION, s.validationPrompts(), Seeds.mix(s.seed(), 0x5A1DL));
    List<Prompt> test = world.prompts(Split.TEST, s.testPrompts(), TEST_SEED);

    ShapesMetrics.LabelerAgreement labelerAcc;
    try (LoadedVlm labeler = LoadedVlm.load(labelerDir, Device.cpu())) {
      labelerAcc = PolicyEvaluation.judgeAccuracy(labeler,
          world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions()), "labeler hard questions");
    }
    long e0 = System.nanoTime();
    ShapesMetrics.Report sftTest = evaluate(sft, test, "SFT policy test");
    ShapesMetrics.Report sftValidation = evaluate(sft, validation, "SFT policy validation");
    double sftSeconds = (System.nanoTime() - e0) / 1e9;
    out.printf(Locale.ROOT, "labeler: %.1f%% of %d hard held-out questions right%n",
        100 * labelerAcc.accuracy(), labelerAcc.n());
    out.printf(Locale.ROOT, "SFT policy (test): CHAIR_i %.3f, CHAIR_s %.3f, coverage %.3f%n",
        sftTest.chairI(), sftTest.chairS(), sftTest.coverage());

    ObjectNode report = JSON.createObjectNode();
    report.set("config", config());
    ObjectNode lab = report.putObject("labeler");
    lab.put("accuracy", labelerAcc.accuracy());
    lab.put("balanced_accuracy", labelerAcc.balancedAccuracy());
    lab.put("true_positive_rate", labelerAcc.truePositiveRate());
    lab.put("true_negative_rate", labelerAcc.trueNegativeRate());
    lab.put("n", labelerAcc.n());
    lab.put("split", "test");

    // RLAIF-V with the labeler.
    ValidationSelector selector =
        new ValidationSelector(world, validation, sftValidation.coverage(), s.maxCoverageDrop(),
            CHAIR_TOLERANCE);
    DjlPolarJudge labelerJudge =
        new DjlPolarJudge(LoadedVlm.load(labelerDir, Device.cpu()), options, true);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(0, sftTest, labelerAcc.accuracy(), 0, sftSeconds, sft.id()));
    LoopResult result;
    try {
      PolarJudge judge = s.feedback().equals("oracle") ? world.oracleJudge() : labelerJudge;
      result = loop("rlaifv", s.out().resolve("run"), sft, train, s.iterations(),
          policy -> scorer(judge), pairSelector(Integer.MAX_VALUE), selector);
      rows.addAll(evaluateIterations(result, test, labelerAcc.accuracy()));
    } finally {
      labelerJudge.close();
    }
    ArrayNode its = report.putArray("iterations");
    rows.forEach(r -> its.add(r.toJson()));
    // From the run directory, not from this process's selector: iterations finished by an earlier,
    // interrupted run are read back without selecting again.
    ArrayNode cands = report.putArray("validation_candidates");
    for (IterationSummary it : result.iterations()) {
      Path trainDir = result.runDirectory().resolve("iter-" + it.iteration()).resolve("train");
      for (ValidationSelector.Candidate c : ValidationSelector.read(trainDir)) {
        cands.add(JSON.valueToTree(c));
      }
    }
    Row last = rows.get(rows.size() - 1);
    ObjectNode targets = report.putObject("targets");
    double ratio = sftTest.chairI() == 0 ? 1 : last.test().chairI() / sftTest.chairI();
    double drop = sftTest.coverage() - last.test().coverage();
    targets.put("labeler_accuracy_at_least_0_90", labelerAcc.accuracy() >= 0.90);
    targets.put("chair_i_ratio", ratio);
    targets.put("chair_i_at_most_quarter", ratio <= 0.25);
    targets.put("coverage_drop", drop);
    targets.put("coverage_drop_at_most_0_05", drop <= 0.05);

    if (s.baselines()) {
      int totalPairs = rows.stream().mapToInt(Row::pairs).sum();
      report.set("baselines", baselines(sft, train, test, validation, sftValidation, labelerDir,
          totalPairs, labelerAcc.accuracy()));
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    report.put("wall_seconds", Math.round(wall * 10) / 10.0);
    write(report, s.out().resolve("report.json"));
    ReportChart.write(rows, s.out().resolve("report.png"));
    printTable(out, rows, report, wall);
    return report;
  }

  private ObjectNode config() {
    ObjectNode c = JSON.createObjectNode();
    c.put("seed", s.seed());
    c.put("quick", s.quick());
    c.put("iterations", s.iterations());
    c.put("prompts", s.prompts());
    c.put("samples_per_prompt", s.samples());
    c.put("temperature", s.temperature());
    c.put("max_new_tokens", ShapesModels.MAX_NEW_TOKENS);
    c.put("validation_prompts", s.validationPrompts());
    c.put("test_prompts", s.testPrompts());
    c.put("hard_questions", s.hardQuestions());
    c.put("max_coverage_drop_on_validation", s.maxCoverageDrop());
    c.put("chair_i_tie_tolerance", CHAIR_TOLERANCE);
    c.put("splitter", "rule-based");
    c.put("questioner", "rule-based");
    c.put("judge", s.feedback().equals("oracle") ? "ground-truth oracle" : "labeler (DjlPolarJudge)");
    c.put("pair_selector", "RLAIF-V, max 2 pairs per prompt, no length balancing");
    c.put("checkpoint_selection", "on validation scenes: among checkpoints with coverage >= SFT "
        + "coverage - " + s.maxCoverageDrop() + ", those within " + CHAIR_TOLERANCE
        + " of the lowest CHAIR_i, the highest coverage");
    c.put("models", s.models().toString());
    c.set("dpo", JSON.valueToTree(s.dpo()));
    return c;
  }

  private SamplingParams sampling() {
    return SamplingParams.builder().n(s.samples()).temperature(s.temperature())
        .maxNewTokens(ShapesModels.MAX_NEW_TOKENS).baseSeed(s.seed()).build();
  }

  private static ResponseScorer scorer(PolarJudge judge) {
    return new DivideAndConquerScorer(new RuleBasedClaimSplitter(), new RuleBasedPolarQuestioner(),
        judge);
  }

  private PairSelector pairSelector(int maxPairs) {
    PairSelector p = RlaifvPairSelector.builder().maxPairsPerPrompt(2).seed(s.seed())
        .lengthBalancing(false).build();
    return maxPairs == Integer.MAX_VALUE ? p : new LimitedPairSelector(p, maxPairs);
  }

  private LoopResult loop(String label, Path runDir, Checkpoint start, List<Prompt> prompts,
      int iterations, Function<Checkpoint, ResponseScorer> scorer, PairSelector pairs,
      ValidationSelector selector) {
    AlignmentLoop loop = AlignmentLoop.builder()
        .initialPolicy(start)
        .sampler(policy -> new DjlResponseSampler(LoadedVlm.load(policy.directory(), Device.cpu()),
            options, true))
        .scorer(scorer)
        .pairSelector(pairs)
        .trainer(new DjlDpoTrainer(options))
        .samplingParams(sampling())
        .dpoConfig(s.dpo())
        .iterations(iterations)
        .runDirectory(runDir)
        .checkpointSelector(selector)
        .adapterMerger(new DjlAdapterMerger(Device.cpu()))
        .listener(new LoopProgress(label))
        .seed(s.seed())
        .provenance("demo", label)
        .build();
    // A TrainingDivergedException propagates: finished stages stay in the run directory, so
    // running the same command again resumes at the training stage.
    return loop.run(prompts);
  }

  private List<Row> evaluateIterations(LoopResult result, List<Prompt> test, double labelerAcc) {
    List<Row> rows = new ArrayList<>();
    for (IterationSummary it : result.iterations()) {
      long e0 = System.nanoTime();
      ShapesMetrics.Report r = evaluate(it.selected(), test, "iter " + it.iteration() + " test");
      double secs = it.seconds() + (System.nanoTime() - e0) / 1e9;
      rows.add(new Row(it.iteration(), r, labelerAcc, it.pairs(), secs, it.selected().id()));
    }
    return rows;
  }

  private ShapesMetrics.Report evaluate(Checkpoint c, List<Prompt> prompts, String task) {
    try (LoadedVlm vlm = LoadedVlm.load(c.directory(), Device.cpu())) {
      return PolicyEvaluation.evaluate(world, vlm, prompts, task);
    }
  }

  private ObjectNode baselines(Checkpoint sft, List<Prompt> train, List<Prompt> test,
      List<Prompt> validation, ShapesMetrics.Report sftValidation, Path labelerDir, int totalPairs,
      double labelerAcc) {
    ObjectNode b = JSON.createObjectNode();
    Path dir = s.out().resolve("baselines");

    // One-shot DPO: every pair sampled from the SFT policy in one round, as many as RLAIF-V used.
    List<Prompt> many = world.prompts(Split.TRAIN, s.prompts() * s.iterations(), s.seed());
    DjlPolarJudge judge = new DjlPolarJudge(LoadedVlm.load(labelerDir, Device.cpu()), options, true);
    try {
      ValidationSelector sel = new ValidationSelector(world, validation, sftValidation.coverage(),
          s.maxCoverageDrop(), CHAIR_TOLERANCE);
      LoopResult r = loop("one-shot", dir.resolve("one_shot_dpo"), sft, many, 1,
          p -> scorer(judge), pairSelector(Math.max(1, totalPairs)), sel);
      b.set("one_shot_dpo", baseline(r, test, labelerAcc, "one-shot DPO on " + totalPairs
          + " pairs from the SFT policy, labeler feedback"));
    } finally {
      judge.close();
    }

    // Oracle feedback: the ground truth as the judge (upper bound).
    ShapesMetrics.LabelerAgreement oracleAcc = ShapesMetrics.labelerAccuracy(
        world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions()),
        world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions()).stream()
            .map(e -> world.oracleJudge().judge(e.image(), List.of(e.toPolarQuestion())).get(0))
            .toList());
    ValidationSelector oracleSel = new ValidationSelector(world, validation,
        sftValidation.coverage(), s.maxCoverageDrop(), CHAIR_TOLERANCE);
    PolarJudge oracle = world.oracleJudge();
    LoopResult o = loop("oracle", dir.resolve("oracle_feedback"), sft, train, s.iterations(),
        p -> scorer(oracle), pairSelector(Integer.MAX_VALUE), oracleSel);
    b.set("oracle_feedback", baseline(o, test, oracleAcc.accuracy(),
        "ground-truth oracle as the judge"));

    // Self-feedback: the current policy answers the polar questions about its own claims.
    double selfAcc;
    try (LoadedVlm policy = LoadedVlm.load(sft.directory(), Device.cpu())) {
      selfAcc = PolicyEvaluation.judgeAccuracy(policy,
          world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions()), "SFT policy as judge")
          .accuracy();
    }
    ValidationSelector selfSel = new ValidationSelector(world, validation,
        sftValidation.coverage(), s.maxCoverageDrop(), CHAIR_TOLERANCE);
    LoopResult self = loop("self", dir.resolve("self_feedback"), sft, train, s.iterations(),
        policy -> {
          DjlPolarJudge own = new DjlPolarJudge(LoadedVlm.load(policy.directory(), Device.cpu()),
              options, true);
          return DivideAndConquerScorer.owningJudge(new RuleBasedClaimSplitter(),
              new RuleBasedPolarQuestioner(), own);
        },
        pairSelector(Integer.MAX_VALUE), selfSel);
    b.set("self_feedback", baseline(self, test, selfAcc,
        "the policy as its own labeler (SFT policy's hard-question accuracy shown)"));
    return b;
  }

  private ObjectNode baseline(LoopResult r, List<Prompt> test, double judgeAcc, String what) {
    List<Row> rows = evaluateIterations(r, test, judgeAcc);
    Row last = rows.get(rows.size() - 1);
    ObjectNode n = last.toJson();
    n.put("pairs", rows.stream().mapToInt(Row::pairs).sum());
    n.put("seconds", Math.round(rows.stream().mapToDouble(Row::seconds).sum() * 10) / 10.0);
    n.put("iterations", rows.size());
    n.put("description", what);
    ArrayNode per = n.putArray("per_iteration");
    rows.forEach(x -> per.add(x.toJson()));
    return n;
  }

  static void write(ObjectNode report, Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), report);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void printTable(PrintStream out, List<Row> rows, ObjectNode report, double wall) {
    out.println();
    out.println("iteration  CHAIR_i  CHAIR_s  coverage  words  pairs  seconds");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "%9d  %7.3f  %7.3f  %8.3f  %5.1f  %5d  %7.0f%n", r.iteration(),
          r.test().chairI(), r.test().chairS(), r.test().coverage(), r.test().meanWords(),
          r.pairs(), r.seconds());
    }
    if (report.has("baselines")) {
      out.println();
      out.println("baseline          CHAIR_i  CHAIR_s  coverage  words  pairs  judge_acc");
      for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : report.get("baselines").properties()) {
        com.fasterxml.jackson.databind.JsonNode n = e.getValue();
        out.printf(Locale.ROOT, "%-16s  %7.3f  %7.3f  %8.3f  %5.1f  %5d  %9.3f%n", e.getKey(),
            n.get("chair_i").asDouble(), n.get("chair_s").asDouble(), n.get("coverage").asDouble(),
            n.get("mean_words").asDouble(), n.get("pairs").asInt(),
            n.get("labeler_accuracy").asDouble());
      }
    }
    Row first = rows.get(0);
    Row last = rows.get(rows.size() - 1);
    out.printf(Locale.ROOT, "%nRLAIF-V: CHAIR_i %.3f -> %.3f (%.0f%% of SFT), coverage %.3f -> %.3f;"
            + " labeler accuracy %.3f; %.0f s in all. Report: %s%n",
        first.test().chairI(), last.test().chairI(),
        first.test().chairI() == 0 ? 100 : 100 * last.test().chairI() / first.test().chairI(),
        first.test().coverage(), last.test().coverage(), first.labelerAccuracy(), wall,
        s.out().resolve("report.json"));
  }
}
