package org.rlaifv.examples.shapes;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Random;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;
import org.rlaifv.PairSelector;
import org.rlaifv.PolarJudge;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.ResponseScorer;
import org.rlaifv.SamplingParams;
import org.rlaifv.ScoredResponse;
import org.rlaifv.Seeds;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.HolisticScorer;
import org.rlaifv.core.RatingScorer;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.io.JsonlReader;
import org.rlaifv.core.io.PairRecord;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.IterationSummary;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.shapes.ErrorKind;
import org.rlaifv.core.shapes.HardMetrics;
import org.rlaifv.core.shapes.NoisyOracleJudge;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.djl.DjlChoiceJudge;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.train.DjlDpoTrainer;
import org.rlaifv.djl.train.ImplicitRewardRanker;
import org.rlaifv.examples.LoopProgress;
import org.rlaifv.spi.BackendOptions;

/**
 * The hard ShapesWorld demo ({@code demo --world hard}): the multitask SFT policy aligned with
 * RLAIF-V, every kind of error ({@link ErrorKind}) measured after every iteration on held-out test
 * scenes, and the variants the ablations compare: the judge (a labeler of a chosen quality, the
 * policy itself, or the ground truth), confounded candidates, one-shot training on a fixed number
 * of pairs, and best-of-N at inference by the aligned policy's implicit reward.
 *
 * <pre>{@code
 * ObjectNode report = new HardShapesDemo(HardShapesDemo.Settings.defaults(
 *     Path.of("examples/models"), Path.of("runs/hard"), 0L, 3)).run(System.out);
 * }</pre>
 */
public final class HardShapesDemo {

  /** Base seed of the test scenes, the same for every demo seed. */
  public static final long TEST_SEED = ShapesDemo.TEST_SEED;

  /** Validation false-claim-rate differences up to this count as ties in checkpoint selection. */
  static final double TOLERANCE = 0.005;

  /** Test prompts best-of-N is measured on (the first ones of the test set): N = 16 is costly. */
  static final int BEST_OF_N_PROMPTS = 100;

  /** Temperatures of the two halves of confounded candidates (their mean is the method's 1.0). */
  static final double CONFOUNDED_LOW = 0.5;
  static final double CONFOUNDED_HIGH = 1.5;

  /** The ways a candidate can be scored (ablation 2): RLAIF-V's, and two holistic ones. */
  public static final List<String> SCORINGS = List.of("divide", "holistic", "rating");

  /**
   * The holistic question, in words the ShapesWorld tokenizer has (it has no "accurate", "correct"
   * or "true"); the judge appends "Please answer yes or no.".
   */
  public static final String HOLISTIC_QUESTION = "is this what you see in the image? {answer}";

  /** The rating question: the holistic question answered on a scale of one to five. */
  public static final String RATING_QUESTION =
      "is this what you see in the image? {answer} Please answer one two three four or five.";

  /** The rating words, worth 1 to 5 (the tokenizer has no digits). */
  public static final List<String> RATING_SCALE = List.of("one", "two", "three", "four", "five");

  /**
   * Words of an answer put into a holistic or rating question: what fits in the labeler's 128
   * positions beside the image, the template and the question's own words.
   */
  static final int MAX_ANSWER_WORDS = 80;

  /** Rating verdicts abstain below this mass on the five rating words. */
  static final double RATING_ABSTAIN_BELOW = 1e-6;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What the hard demo runs.
   *
   * @param models directory holding shapes-hard-policy and the labelers
   * @param out output directory
   * @param seed the demo seed
   * @param iterations RLAIF-V iterations (one-shot: how many iterations' prompts it samples at
   *     once)
   * @param prompts training prompts per iteration
   * @param samples candidates per prompt
   * @param temperature sampling temperature
   * @param validationPrompts validation scenes for checkpoint selection
   * @param testPrompts test scenes for the reported metrics
   * @param hardQuestions hard test questions for the judge's accuracy
   * @param dpo DPO settings
   * @param maxCoverageDrop how far validation coverage may fall below the SFT policy's
   * @param quick whether this is the reduced configuration
   * @param feedback the judge: {@code "labeler"}, {@code "self"} (the current policy) or
   *     {@code "oracle"}
   * @param labeler directory name of the labeler under {@code models}
   * @param oracleAccuracy with {@code "oracle"}: the share of the ground truth's verdicts kept
   *     ({@link NoisyOracleJudge}); 1 for the exact oracle
   * @param confounded whether candidates mix a low and a high temperature
   * @param oneShotPairs 0 for the iterative method; else one round from the SFT policy over
   *     {@code iterations x prompts} prompts, keeping at most this many pairs
   * @param bestOfN sample counts for best-of-N on the aligned policy (empty for none)
   * @param scoring how the judge scores a candidate: {@code "divide"} (RLAIF-V: -n_rej over
   *     atomic claims), {@code "holistic"} (p_yes of one question about the whole answer, {@link
   *     HolisticScorer}) or {@code "rating"} (the expected rating of the whole answer, {@link
   *     RatingScorer})
   * @param maxPairsPerIteration 0 for no limit; else the most pairs trained on per iteration (the
   *     first ones, in prompt order)
   * @param lengthBalancing whether pairs are length-balanced ({@link
   *     RlaifvPairSelector.Builder#lengthBalancing(boolean)}): pairs whose rejected answer is much
   *     longer than the chosen one are dropped, against -n_rej's bias to short answers
   */
  public record Settings(Path models, Path out, long seed, int iterations, int prompts,
      int samples, double temperature, int validationPrompts, int testPrompts, int hardQuestions,
      DpoConfig dpo, double maxCoverageDrop, boolean quick, String feedback, String labeler,
      double oracleAccuracy, boolean confounded, int oneShotPairs, List<Integer> bestOfN,
      String scoring, int maxPairsPerIteration, boolean lengthBalancing) {

    /**
     * Validates the settings.
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
     * @param quick see the record
     * @param feedback see the record
     * @param labeler see the record
     * @param oracleAccuracy see the record
     * @param confounded see the record
     * @param oneShotPairs see the record
     * @param bestOfN see the record
     * @param scoring see the record
     * @param maxPairsPerIteration see the record
     * @param lengthBalancing see the record
     */
    public Settings {
      bestOfN = List.copyOf(bestOfN);
      if (iterations < 1 || prompts < 1 || samples < 2 || validationPrompts < 1 || testPrompts < 1
          || hardQuestions < 12 || oneShotPairs < 0
          || !(oracleAccuracy >= 0.5 && oracleAccuracy <= 1)
          || !List.of("labeler", "self", "oracle").contains(feedback)
          || bestOfN.stream().anyMatch(n -> n < 1) || !SCORINGS.contains(scoring)
          || maxPairsPerIteration < 0) {
        throw new InvalidInputException("hard demo settings out of range: " + iterations
            + " iterations, " + prompts + " prompts, " + samples + " samples, feedback "
            + feedback + ", best-of " + bestOfN + ", scoring " + scoring + " (one of "
            + SCORINGS + "), at most " + maxPairsPerIteration + " pairs per iteration");
      }
      if (!scoring.equals("divide") && feedback.equals("oracle")) {
        throw new InvalidInputException("scoring " + scoring + " asks a model about the whole "
            + "answer; the ground-truth oracle only answers atomic questions (use the labeler or"
            + " self-feedback)");
      }
    }

    /**
     * Returns the default configuration: 256 prompts x 8 samples at T = 1, length-balanced
     * pairs, DPO with beta 0.1, NLL weight 1, lr 5e-5 cosine, 2 epochs, two checkpoints per
     * epoch.
     *
     * @param models models directory
     * @param out output directory
     * @param seed demo seed
     * @param iterations iterations
     * @return the settings
     */
    public static Settings defaults(Path models, Path out, long seed, int iterations) {
      DpoConfig dpo = DpoConfig.builder().beta(0.1).nllWeight(1.0).learningRate(5e-5)
          .schedule(LrSchedule.COSINE).warmupRatio(0.1).epochs(2).batchSize(8)
          .checkpointsPerEpoch(2).seed(seed).build();
      return new Settings(models, out, seed, iterations, 256, 8, 1.0, 128, 200, 480, dpo, 0.05,
          false, "labeler", ShapesModels.HARD_LABELER, 1.0, false, 0, List.of(), "divide", 0,
          true);
    }

    /**
     * Returns the reduced configuration for tests.
     *
     * @param models models directory
     * @param out output directory
     * @param seed demo seed
     * @param iterations iterations
     * @return the settings
     */
    public static Settings quick(Path models, Path out, long seed, int iterations) {
      Settings d = defaults(models, out, seed, iterations);
      return new Settings(models, out, seed, iterations, 32, 6, 1.0, 24, 32, 48,
          d.dpo().toBuilder().epochs(1).checkpointsPerEpoch(1).build(), 0.05, true, "labeler",
          ShapesModels.HARD_LABELER, 1.0, false, 0, List.of(), "divide", 0, true);
    }

    /**
     * Returns a copy with another output directory.
     *
     * @param dir the directory
     * @return the settings
     */
    public Settings withOut(Path dir) {
      return new Settings(models, dir, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy with another judge.
     *
     * @param judge {@code "labeler"}, {@code "self"} or {@code "oracle"}
     * @param labelerName the labeler's directory name (used with {@code "labeler"})
     * @return the settings
     */
    public Settings withFeedback(String judge, String labelerName) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, judge,
          labelerName, oracleAccuracy, confounded, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy whose oracle judge keeps only a share of the true verdicts.
     *
     * @param accuracy the share kept, in [0.5, 1]
     * @return the settings
     */
    public Settings withOracleAccuracy(double accuracy) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, accuracy, confounded, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy with confounded candidates switched on or off.
     *
     * @param on whether candidates mix two temperatures
     * @return the settings
     */
    public Settings withConfounded(boolean on) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, on, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy that trains once on at most {@code pairs} pairs.
     *
     * @param pairs the pair budget, 0 for the iterative method
     * @return the settings
     */
    public Settings withOneShot(int pairs) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, pairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy with best-of-N evaluation at these sample counts.
     *
     * @param ns sample counts
     * @return the settings
     */
    public Settings withBestOfN(List<Integer> ns) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, ns, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy with other DPO settings.
     *
     * @param config the DPO settings
     * @return the settings
     */
    public Settings withDpo(DpoConfig config) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, config, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, lengthBalancing);
    }

    /**
     * Returns a copy that scores candidates another way.
     *
     * @param how {@code "divide"}, {@code "holistic"} or {@code "rating"}
     * @return the settings
     */
    public Settings withScoring(String how) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, bestOfN, how, maxPairsPerIteration,
          lengthBalancing);
    }

    /**
     * Returns a copy with length balancing on or off.
     *
     * @param on whether pairs are length-balanced
     * @return the settings
     */
    public Settings withLengthBalancing(boolean on) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, bestOfN, scoring,
          maxPairsPerIteration, on);
    }

    /**
     * Returns a copy that trains on at most this many pairs per iteration.
     *
     * @param pairs the limit, 0 for none
     * @return the settings
     */
    public Settings withMaxPairsPerIteration(int pairs) {
      return new Settings(models, out, seed, iterations, prompts, samples, temperature,
          validationPrompts, testPrompts, hardQuestions, dpo, maxCoverageDrop, quick, feedback,
          labeler, oracleAccuracy, confounded, oneShotPairs, bestOfN, scoring, pairs,
          lengthBalancing);
    }
  }

  /** One evaluated policy. */
  record Row(int iteration, HardMetrics.Report test, double judgeAccuracy, int pairs,
      double seconds, String checkpoint) {
    ObjectNode toJson() {
      ObjectNode n = metrics(test);
      n.put("iteration", iteration);
      n.put("labeler_accuracy", judgeAccuracy);
      n.put("pairs", pairs);
      n.put("seconds", Math.round(seconds * 10) / 10.0);
      n.put("checkpoint", checkpoint);
      return n;
    }
  }

  private final Settings s;
  private final ShapesWorld world = ShapesWorld.hard();
  private final BackendOptions options = BackendOptions.defaults();

  /**
   * Creates the demo.
   *
   * @param settings what to run
   */
  public HardShapesDemo(Settings settings) {
    this.s = settings;
  }

  /**
   * Returns the hard-world metrics of a report as JSON fields.
   *
   * @param r the report
   * @return chair_i, chair_s, count_error, attribute_error, relation_error, any_error,
   *     false_claim_rate, coverage, mean_words
   */
  static ObjectNode metrics(HardMetrics.Report r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("chair_i", r.chairI());
    n.put("chair_s", r.chairS());
    n.put("count_error", r.errorRate(ErrorKind.COUNT));
    n.put("attribute_error", r.errorRate(ErrorKind.ATTRIBUTE));
    n.put("relation_error", r.errorRate(ErrorKind.RELATION));
    n.put("any_error", r.anyErrorRate());
    n.put("false_claim_rate", r.falseClaimRate());
    n.put("coverage", r.coverage());
    n.put("mean_words", r.meanWords());
    return n;
  }

  /**
   * Runs the demo and writes {@code report.json}.
   *
   * @param out where the table goes
   * @return the report
   */
  public ObjectNode run(PrintStream out) {
    long t0 = System.nanoTime();
    Path policyDir = s.models().resolve(ShapesModels.HARD_POLICY);
    Path labelerDir = s.models().resolve(s.labeler());
    List<Path> needed = s.feedback().equals("labeler") || !s.bestOfN().isEmpty()
        ? List.of(policyDir, labelerDir) : List.of(policyDir);
    for (Path d : needed) {
      if (!Files.isRegularFile(d.resolve("model.safetensors"))) {
        throw new InvalidInputException("no model in " + d + " (run `rlaifv pretrain --world hard"
            + " --out " + s.models() + "` or pass --models DIR)");
      }
    }
    try {
      Files.createDirectories(s.out());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output directory " + s.out(), e);
    }
    Checkpoint sft = Checkpoint.of(policyDir.toAbsolutePath().normalize());
    int promptCount = s.oneShotPairs() > 0 ? s.prompts() * s.iterations() : s.prompts();
    List<Prompt> train = world.prompts(Split.TRAIN, promptCount, s.seed());
    List<Prompt> validation =
        world.prompts(Split.VALIDATION, s.validationPrompts(), Seeds.mix(s.seed(), 0x5A1DL));
    List<Prompt> test = world.prompts(Split.TEST, s.testPrompts(), TEST_SEED);

    double judgeAcc;
    ObjectNode report = JSON.createObjectNode();
    report.set("config", config());
    ObjectNode judgeNode = report.putObject("labeler");
    if (s.feedback().equals("oracle")) {
      List<org.rlaifv.core.shapes.PolarExample> qs =
          world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions());
      PolarJudge oracle = oracle();
      List<org.rlaifv.ClaimVerdict> vs = new ArrayList<>();
      for (org.rlaifv.core.shapes.PolarExample e : qs) {
        vs.add(oracle.judge(e.image(), List.of(e.toPolarQuestion())).get(0));
      }
      judgeAcc = ShapesMetrics.labelerAccuracy(qs, vs).accuracy();
    } else {
      Path judgeDir = s.feedback().equals("self") ? policyDir : labelerDir;
      try (LoadedVlm judgeModel = LoadedVlm.load(judgeDir, Device.cpu())) {
        ShapesMetrics.LabelerAgreement a = PolicyEvaluation.judgeAccuracy(judgeModel,
            world.hardQuestions(Split.TEST, TEST_SEED, s.hardQuestions()), "judge hard questions");
        judgeAcc = a.accuracy();
        judgeNode.put("balanced_accuracy", a.balancedAccuracy());
        judgeNode.put("n", a.n());
      }
    }
    judgeNode.put("accuracy", judgeAcc);
    judgeNode.put("judge", switch (s.feedback()) {
      case "labeler" -> s.labeler();
      case "oracle" -> s.oracleAccuracy() == 1 ? "oracle"
          : String.format(Locale.ROOT, "oracle at %.2f", s.oracleAccuracy());
      default -> s.feedback();
    });
    judgeNode.put("split", "test");

    long e0 = System.nanoTime();
    HardMetrics.Report sftTest = evaluate(sft, test, "SFT policy test");
    HardMetrics.Report sftValidation = evaluate(sft, validation, "SFT policy validation");
    out.printf(Locale.ROOT, "judge (%s): %.1f%% of hard held-out questions right%n",
        judgeNode.get("judge").asText(), 100 * judgeAcc);
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(0, sftTest, judgeAcc, 0, (System.nanoTime() - e0) / 1e9, sft.id()));

    ValidationSelector selector = new ValidationSelector(world, validation,
        sftValidation.coverage(), s.maxCoverageDrop(), TOLERANCE);
    PairSelector pairs = RlaifvPairSelector.builder().maxPairsPerPrompt(2).seed(s.seed())
        .lengthBalancing(s.lengthBalancing()).build();
    if (!s.scoring().equals("divide")) {
      // Holistic scores are not integers: any two different scores pair, as -n_rej's do.
      pairs = RlaifvPairSelector.builder().maxPairsPerPrompt(2).seed(s.seed())
          .lengthBalancing(s.lengthBalancing()).minScoreGap(0).build();
    }
    if (s.maxPairsPerIteration() > 0) {
      pairs = new LimitedPairSelector(pairs, s.maxPairsPerIteration());
    }
    if (s.oneShotPairs() > 0) {
      pairs = new LimitedPairSelector(pairs, s.oneShotPairs());
    }
    LoopResult result;
    LoadedVlm labeler = s.feedback().equals("labeler") ? LoadedVlm.load(labelerDir, Device.cpu())
        : null;
    try {
      Function<Checkpoint, ResponseScorer> scorer = switch (s.feedback()) {
        case "labeler" -> p -> scorer(labeler, false);
        case "oracle" -> p -> DivideAndConquerScorer.ruleBased(oracle());
        default -> p -> scorer(LoadedVlm.load(p.directory(), Device.cpu()), true);
      };
      result = loop(s.out().resolve("run"), sft, train,
          s.oneShotPairs() > 0 ? 1 : s.iterations(), scorer, pairs, selector);
    } finally {
      if (labeler != null) {
        labeler.close();
      }
    }
    for (IterationSummary it : result.iterations()) {
      long i0 = System.nanoTime();
      HardMetrics.Report r = evaluate(it.selected(), test, "iter " + it.iteration() + " test");
      rows.add(new Row(it.iteration(), r, judgeAcc, it.pairs(),
          it.seconds() + (System.nanoTime() - i0) / 1e9, it.selected().id()));
    }
    ArrayNode its = report.putArray("iterations");
    rows.forEach(r -> its.add(r.toJson()));
    ArrayNode cands = report.putArray("validation_candidates");
    for (IterationSummary it : result.iterations()) {
      Path trainDir = result.runDirectory().resolve("iter-" + it.iteration()).resolve("train");
      for (ValidationSelector.Candidate c : ValidationSelector.read(trainDir)) {
        cands.add(JSON.valueToTree(c));
      }
    }
    int[] audit = new int[3];
    for (IterationSummary it : result.iterations()) {
      Path file = result.runDirectory().resolve("iter-" + it.iteration()).resolve("pairs.jsonl");
      int[] a = pairAudit(world, file);
      for (int k = 0; k < 3; k++) {
        audit[k] += a[k];
      }
      for (JsonNode row : its) {
        if (row.get("iteration").asInt() == it.iteration()) {
          putAudit((ObjectNode) row, a);
        }
      }
    }
    putAudit(report.putObject("pair_audit"), audit);
    Row first = rows.get(0);
    Row last = rows.get(rows.size() - 1);
    report.set("targets", targets(first.test(), last.test()));
    if (!s.bestOfN().isEmpty()) {
      Checkpoint aligned = result.iterations().isEmpty() ? sft
          : result.iterations().get(result.iterations().size() - 1).selected();
      report.set("best_of_n", bestOfN(aligned, sft, labelerDir,
          test.subList(0, Math.min(BEST_OF_N_PROMPTS, test.size()))));
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    report.put("wall_seconds", Math.round(wall * 10) / 10.0);
    ShapesDemo.write(report, s.out().resolve("report.json"));
    printTable(out, rows, report, wall);
    return report;
  }

  /**
   * Checks a pairs file against the ground truth: how many pairs chose the response with the lower
   * false-claim rate, how many the one with the higher rate, and how many tie.
   *
   * @param world the world whose scenes the pairs' prompts name
   * @param pairsFile an iteration's {@code pairs.jsonl} (missing: no pairs)
   * @return {right, wrong, tied}
   */
  static int[] pairAudit(ShapesWorld world, Path pairsFile) {
    int[] out = new int[3];
    if (!Files.isRegularFile(pairsFile)) {
      return out;
    }
    for (PairRecord p : JsonlReader.readAll(pairsFile, PairRecord.class)) {
      double chosen = world.evaluateHard(List.of(p.chosen().response())).falseClaimRate();
      double rejected = world.evaluateHard(List.of(p.rejected().response())).falseClaimRate();
      out[chosen < rejected ? 0 : chosen > rejected ? 1 : 2]++;
    }
    return out;
  }

  /** Puts a {@link #pairAudit} result into a report node, with the shares of all pairs. */
  private static void putAudit(ObjectNode n, int[] a) {
    int total = a[0] + a[1] + a[2];
    n.put("pairs_chosen_fewer_false_claims", total == 0 ? 0 : a[0] / (double) total);
    n.put("pairs_chosen_more_false_claims", total == 0 ? 0 : a[1] / (double) total);
    n.put("pairs_false_claims_tied", total == 0 ? 0 : a[2] / (double) total);
  }

  /** Whether each hallucination measure is at most half the SFT policy's, and coverage kept. */
  static ObjectNode targets(HardMetrics.Report sft, HardMetrics.Report last) {
    ObjectNode t = JSON.createObjectNode();
    boolean all = true;
    for (String f : List.of("chair_i", "chair_s", "count_error", "attribute_error",
        "relation_error", "false_claim_rate")) {
      double a = metrics(sft).get(f).asDouble();
      double b = metrics(last).get(f).asDouble();
      double ratio = a == 0 ? (b == 0 ? 0 : 1) : b / a;
      t.put(f + "_ratio", ratio);
      all &= ratio <= 0.5;
    }
    double drop = sft.coverage() - last.coverage();
    t.put("every_measure_at_most_half", all);
    t.put("coverage_drop", drop);
    t.put("coverage_drop_at_most_0_05", drop <= 0.05);
    return t;
  }

  private ObjectNode config() {
    ObjectNode c = JSON.createObjectNode();
    c.put("world", "hard");
    c.put("seed", s.seed());
    c.put("quick", s.quick());
    c.put("iterations", s.oneShotPairs() > 0 ? 1 : s.iterations());
    c.put("prompts", s.oneShotPairs() > 0 ? s.prompts() * s.iterations() : s.prompts());
    c.put("samples_per_prompt", s.samples());
    c.put("temperature", s.confounded()
        ? CONFOUNDED_LOW + " (first half) / " + CONFOUNDED_HIGH + " (second half)"
        : String.valueOf(s.temperature()));
    c.put("candidates", s.confounded() ? "confounded" : "deconfounded");
    c.put("training", s.oneShotPairs() > 0 ? "one-shot, at most " + s.oneShotPairs() + " pairs"
        : "iterative");
    c.put("max_new_tokens", ShapesModels.HARD_MAX_NEW_TOKENS);
    c.put("validation_prompts", s.validationPrompts());
    c.put("test_prompts", s.testPrompts());
    c.put("hard_questions", s.hardQuestions());
    c.put("max_coverage_drop_on_validation", s.maxCoverageDrop());
    c.put("false_claim_rate_tie_tolerance", TOLERANCE);
    c.put("scoring", switch (s.scoring()) {
      case "holistic" -> "holistic: p_yes of '" + HOLISTIC_QUESTION + "' (HolisticScorer)";
      case "rating" -> "rating: expected rating over " + RATING_SCALE + " of '" + RATING_QUESTION
          + "' (RatingScorer)";
      default -> "divide and conquer: -n_rej over atomic claims";
    });
    if (s.scoring().equals("divide")) {
      c.put("splitter", "rule-based");
      c.put("questioner", "rule-based");
    }
    c.put("max_pairs_per_iteration", s.maxPairsPerIteration());
    c.put("length_balancing", s.lengthBalancing());
    c.put("judge", switch (s.feedback()) {
      case "labeler" -> "labeler " + s.labeler() + " (DjlPolarJudge)";
      case "self" -> "the current policy (self-feedback)";
      default -> s.oracleAccuracy() == 1 ? "ground-truth oracle"
          : "ground-truth oracle with " + Math.round(100 * (1 - s.oracleAccuracy()))
              + "% of (image, question) verdicts flipped (NoisyOracleJudge)";
    });
    c.put("pair_selector", "RLAIF-V, max 2 pairs per prompt, "
        + (s.lengthBalancing() ? "length-balanced" : "no length balancing")
        + (s.scoring().equals("divide") ? "" : ", any two different scores pair"));
    c.put("models", s.models().toString());
    c.set("dpo", JSON.valueToTree(s.dpo()));
    return c;
  }

  /**
   * The scorer of an iteration over a model judge, by {@link Settings#scoring()}: divide and
   * conquer with the rule-based splitter and questioner, p_yes of the holistic question, or the
   * expected rating.
   *
   * @param judge the judging model
   * @param owning whether the scorer closes the model (a model opened for one iteration)
   */
  private ResponseScorer scorer(LoadedVlm judge, boolean owning) {
    return switch (s.scoring()) {
      case "holistic" -> {
        DjlPolarJudge j = new DjlPolarJudge(judge, options, owning);
        yield owning ? HolisticScorer.owningJudge(j, HOLISTIC_QUESTION, MAX_ANSWER_WORDS)
            : new HolisticScorer(j, HOLISTIC_QUESTION, MAX_ANSWER_WORDS);
      }
      case "rating" -> {
        DjlChoiceJudge j = new DjlChoiceJudge(judge,
            options.withAbstainBelow(RATING_ABSTAIN_BELOW), owning);
        yield owning
            ? RatingScorer.owningJudge(j, RATING_QUESTION, RATING_SCALE, MAX_ANSWER_WORDS)
            : new RatingScorer(j, RATING_QUESTION, RATING_SCALE, MAX_ANSWER_WORDS);
      }
      default -> {
        DjlPolarJudge j = new DjlPolarJudge(judge, options, owning);
        yield owning ? DivideAndConquerScorer.owningJudge(
                new org.rlaifv.core.text.RuleBasedClaimSplitter(),
                new org.rlaifv.core.text.RuleBasedPolarQuestioner(), j)
            : DivideAndConquerScorer.ruleBased(j);
      }
    };
  }

  private PolarJudge oracle() {
    return s.oracleAccuracy() == 1 ? world.oracleJudge()
        : new NoisyOracleJudge(world.oracleJudge(), s.oracleAccuracy(), 0x0A11L);
  }

  private SamplingParams sampling() {
    return SamplingParams.builder().n(s.samples()).temperature(s.temperature())
        .maxNewTokens(ShapesModels.HARD_MAX_NEW_TOKENS).baseSeed(s.seed()).build();
  }

  private LoopResult loop(Path runDir, Checkpoint start, List<Prompt> prompts, int iterations,
      Function<Checkpoint, ResponseScorer> scorer, PairSelector pairs,
      ValidationSelector selector) {
    Function<Checkpoint, ResponseSampler> sampler = policy -> {
      ResponseSampler plain =
          new DjlResponseSampler(LoadedVlm.load(policy.directory(), Device.cpu()), options, true);
      return s.confounded() ? new ConfoundedSampler(plain, CONFOUNDED_LOW, CONFOUNDED_HIGH) : plain;
    };
    AlignmentLoop loop = AlignmentLoop.builder()
        .initialPolicy(start)
        .sampler(sampler::apply)
        .scorer(scorer::apply)
        .pairSelector(pairs)
        .trainer(new DjlDpoTrainer(options))
        .samplingParams(sampling())
        .dpoConfig(s.dpo())
        .iterations(iterations)
        .runDirectory(runDir)
        .checkpointSelector(selector)
        .listener(new LoopProgress("hard"))
        .seed(s.seed())
        .provenance("demo", "hard " + s.feedback()
            + (s.scoring().equals("divide") ? "" : " " + s.scoring()))
        .build();
    return loop.run(prompts);
  }

  private HardMetrics.Report evaluate(Checkpoint c, List<Prompt> prompts, String task) {
    try (LoadedVlm vlm = LoadedVlm.load(c.directory(), Device.cpu())) {
      return world.evaluateHard(
          PolicyEvaluation.generate(vlm, prompts, task, ShapesModels.HARD_MAX_NEW_TOKENS));
    }
  }

  /**
   * Best-of-N on the test prompts: N samples at T = 1 from the aligned policy, one kept by the
   * policy's implicit reward against the SFT policy (length-normalised), by the labeler's score
   * (-n_rej, ties to the earlier sample) or at random.
   */
  private ObjectNode bestOfN(Checkpoint aligned, Checkpoint sft, Path labelerDir,
      List<Prompt> test) {
    ObjectNode out = JSON.createObjectNode();
    out.put("policy", aligned.id());
    out.put("test_prompts", test.size());
    out.put("reference", sft.id());
    try (LoadedVlm policy = LoadedVlm.load(aligned.directory(), Device.cpu());
        LoadedVlm reference = LoadedVlm.load(sft.directory(), Device.cpu());
        DjlPolarJudge judge =
            new DjlPolarJudge(LoadedVlm.load(labelerDir, Device.cpu()), options, true);
        DjlResponseSampler sampler = new DjlResponseSampler(policy, options, false)) {
      ImplicitRewardRanker ranker = new ImplicitRewardRanker(policy, reference, s.dpo().beta());
      ResponseScorer scorer = DivideAndConquerScorer.ruleBased(judge);
      for (int n : s.bestOfN()) {
        SamplingParams params = SamplingParams.builder().n(n).temperature(1.0)
            .maxNewTokens(ShapesModels.HARD_MAX_NEW_TOKENS).baseSeed(Seeds.mix(s.seed(), n))
            .build();
        List<Response> byReward = new ArrayList<>();
        List<Response> byLabeler = new ArrayList<>();
        List<Response> byChance = new ArrayList<>();
        Random random = new Random(Seeds.mix(s.seed(), 0xB0FL, n));
        for (Prompt p : test) {
          List<Response> samples = sampler.sample(p, params);
          byReward.add(samples.get(
              ranker.rank(p, samples, ImplicitRewardRanker.Form.LENGTH_NORMALIZED).best()));
          List<ScoredResponse> scored = scorer.scoreAll(p, samples);
          // A response without claims has no score: it is chosen only when no response has one.
          int best = 0;
          for (int i = 1; i < scored.size(); i++) {
            if (labelerScore(scored.get(i)) > labelerScore(scored.get(best))) {
              best = i;
            }
          }
          byLabeler.add(samples.get(best));
          byChance.add(samples.get(random.nextInt(n)));
        }
        ObjectNode row = out.putObject("n" + n);
        row.set("implicit_reward", metrics(world.evaluateHard(byReward)));
        row.set("labeler", metrics(world.evaluateHard(byLabeler)));
        row.set("random", metrics(world.evaluateHard(byChance)));
      }
    }
    return out;
  }

  private static long labelerScore(ScoredResponse r) {
    return r.scored() ? r.score() : Long.MIN_VALUE;
  }

  private void printTable(PrintStream out, List<Row> rows, ObjectNode report, double wall) {
    out.println();
    out.println("iteration  CHAIR_i  CHAIR_s  count  attribute  relation  any_err  coverage  "
        + "words  pairs  seconds");
    for (Row r : rows) {
      HardMetrics.Report t = r.test();
      out.printf(Locale.ROOT, "%9d  %7.3f  %7.3f  %5.3f  %9.3f  %8.3f  %7.3f  %8.3f  %5.1f  %5d"
              + "  %7.0f%n", r.iteration(), t.chairI(), t.chairS(), t.errorRate(ErrorKind.COUNT),
          t.errorRate(ErrorKind.ATTRIBUTE), t.errorRate(ErrorKind.RELATION), t.anyErrorRate(),
          t.coverage(), t.meanWords(), r.pairs(), r.seconds());
    }
    if (report.has("best_of_n")) {
      out.println();
      out.println("best-of-N (aligned policy, test)   implicit reward      labeler       random");
      report.get("best_of_n").properties().forEach(e -> {
        if (e.getValue().isObject()) {
          out.printf(Locale.ROOT, "%-6s false-claim rate / coverage   %.3f / %.3f   %.3f / %.3f"
                  + "   %.3f / %.3f%n", e.getKey(),
              e.getValue().get("implicit_reward").get("false_claim_rate").asDouble(),
              e.getValue().get("implicit_reward").get("coverage").asDouble(),
              e.getValue().get("labeler").get("false_claim_rate").asDouble(),
              e.getValue().get("labeler").get("coverage").asDouble(),
              e.getValue().get("random").get("false_claim_rate").asDouble(),
              e.getValue().get("random").get("coverage").asDouble());
        }
      });
    }
    Row first = rows.get(0);
    Row last = rows.get(rows.size() - 1);
    out.printf(Locale.ROOT, "%nRLAIF-V (hard world, judge %s): CHAIR_i %.3f -> %.3f, false claims "
            + "%.3f -> %.3f, coverage %.3f -> %.3f; judge accuracy %.3f; %.0f s. Report: %s%n",
        report.get("labeler").get("judge").asText(), first.test().chairI(), last.test().chairI(),
        first.test().falseClaimRate(), last.test().falseClaimRate(), first.test().coverage(),
        last.test().coverage(), first.judgeAccuracy(), wall, s.out().resolve("report.json"));
  }
}
