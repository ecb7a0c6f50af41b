package org.rlaifv.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoLossType;
import org.rlaifv.DpoTrainer;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;
import org.rlaifv.PolarJudge;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.io.PromptFiles;
import org.rlaifv.core.io.RunDirectory;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.IterationSummary;
import org.rlaifv.core.loop.LoopListener;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSummary;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align}: runs RLAIF-V ({@link AlignmentLoop}) on the user's own prompt file, with the
 * policy and labeler opened through the backend SPI, so it works with every model directory the
 * backend opens.
 *
 * <pre>{@code
 * rlaifv align --policy models/sft --labeler models/labeler --prompts data/prompts.jsonl --out runs/mine
 * }</pre>
 *
 * <p>Claims are split and turned into yes/no questions by the rule-based English splitter and
 * questioner; responses are scored divide-and-conquer by the labeler; pairs are chosen by {@link
 * RlaifvPairSelector}; the backend's DPO trainer trains; the last checkpoint of each iteration
 * becomes the next policy. Running the same command again resumes the run; raising {@code
 * --iterations} continues a finished one. Options that the loop's own manifest does not record
 * (labeler, backends, pair and judge settings) are kept in {@code RUN/align-options.json} and a
 * rerun with different ones is refused.
 */
@Command(name = "align", sortOptions = false,
    defaultValueProvider = LibraryDefaults.WithSampleCount.class,
    description = {"Aligns a policy with RLAIF-V on your own prompts: per iteration, samples --n "
        + "responses per prompt, splits each into claims (rule-based), asks the labeler one "
        + "yes/no question per claim, scores a response by minus its rejected claims, pairs "
        + "responses whose scores differ, and trains with DPO; the last checkpoint is the next "
        + "policy. Resumable: run the same command again to continue.",
        "",
        "The prompt file is JSON Lines, one {\"id\": ..., \"image\": ..., \"text\": ...} per line; "
        + "ids are unique, image paths are relative to the file's directory and may not leave it.",
        ""},
    footer = {"", "Writes RUN/manifest.json, RUN/iter-K/{responses,scores,pairs}.jsonl, "
        + "RUN/iter-K/train/ (checkpoints), RUN/iter-K/selected.json, RUN/align-options.json."})
final class AlignCommand implements Callable<Integer> {

  /** The file that keeps the options the loop's manifest does not record. */
  static final String OPTIONS_FILE = "align-options.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--policy", paramLabel = "DIR", required = true,
      description = "The starting policy's model directory (e.g. the SFT model).")
  Path policy;

  @Option(names = "--labeler", paramLabel = "DIR", required = true,
      description = "The labeler's model directory.")
  Path labeler;

  @Option(names = "--prompts", paramLabel = "FILE", required = true,
      description = "The prompt file (JSON Lines, see above).")
  Path prompts;

  @Option(names = "--out", paramLabel = "RUN", required = true,
      description = "The run directory (created, or resumed when it holds this run).")
  Path run;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "4",
      description = "Iterations, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--n", paramLabel = "N",
      description = "Responses sampled per prompt, 2 to 10000 (default: ${DEFAULT-VALUE}).")
  int n;

  @Mixin
  SamplingFlags sampling;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of sampling, pairing and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--beta", paramLabel = "X", description = "DPO beta, > 0 (default: "
      + "${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--loss", paramLabel = "TYPE",
      description = "DPO loss: sigmoid, ipo, hinge, robust or label_smoothed (default: "
          + "${DEFAULT-VALUE}).")
  DpoLossType loss;

  @Option(names = "--label-smoothing", paramLabel = "X",
      description = "eps of the robust and label-smoothed losses, in [0, 0.5) (default: "
          + "${DEFAULT-VALUE}).")
  double labelSmoothing;

  @Option(names = "--nll-weight", paramLabel = "X",
      description = "Weight of the NLL term on the chosen response, >= 0 (default: "
          + "${DEFAULT-VALUE}).")
  double nllWeight;

  @Option(names = "--length-averaged",
      description = "Average sequence log-probs over response tokens instead of summing.")
  boolean lengthAveraged;

  @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default: "
      + "${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--schedule", paramLabel = "NAME",
      description = "Learning-rate schedule: constant, linear or cosine (default: "
          + "${DEFAULT-VALUE}).")
  LrSchedule schedule;

  @Option(names = "--warmup-ratio", paramLabel = "X",
      description = "Share of steps spent warming up, in [0, 1) (default: ${DEFAULT-VALUE}).")
  double warmupRatio;

  @Option(names = "--epochs", paramLabel = "N", description = "DPO epochs per iteration "
      + "(default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--dpo-batch-size", paramLabel = "N",
      description = "Pairs per micro-batch (default: ${DEFAULT-VALUE}).")
  int dpoBatchSize;

  @Option(names = "--grad-accumulation", paramLabel = "N",
      description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
  int gradAccumulation;

  @Option(names = "--max-grad-norm", paramLabel = "X",
      description = "Gradient-norm clip; 0 disables (default: ${DEFAULT-VALUE}).")
  double maxGradNorm;

  @Option(names = "--weight-decay", paramLabel = "X",
      description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--checkpoints-per-epoch", paramLabel = "N",
      description = "Checkpoints written per epoch (default: ${DEFAULT-VALUE}).")
  int checkpointsPerEpoch;

  @Option(names = "--max-pairs", paramLabel = "N",
      description = "Most preference pairs drawn per prompt (default: ${DEFAULT-VALUE}).")
  int maxPairs;

  @Option(names = "--length-balancing",
      description = "Drop pairs until chosen and rejected responses have similar lengths, as "
          + "the reference does against length bias.")
  boolean lengthBalancing;

  @Option(names = "--abstain-below", paramLabel = "X",
      description = "The labeler abstains when p_yes + p_no is under X (default: "
          + "${DEFAULT-VALUE}).")
  double abstainBelow;

  @Option(names = "--judge-backend", paramLabel = "NAME",
      description = "Backend that opens the labeler (default: the --backend).")
  String judgeBackend;

  @Mixin
  BackendFlags backend;

  @Mixin
  HelpFlag help;

  AlignCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    Cli.range(spec, "--iterations", iterations, 1, 1000);
    SamplingParams params = sampling.params(Cli.range(spec, "--n", n, 2, 10_000), seed);
    DpoConfig dpo = dpoConfig();
    Cli.range(spec, "--max-pairs", maxPairs, 1, 10_000);
    if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
      throw Cli.usage(spec, "--abstain-below must be in [0, 1], got " + abstainBelow);
    }
    BackendOptions options = backend.options();
    BackendOptions judgeOptions = options.withAbstainBelow(abstainBelow);
    Path policyDir = Cli.directory("--policy", policy).toAbsolutePath().normalize();
    Path labelerDir = Cli.directory("--labeler", labeler).toAbsolutePath().normalize();
    Path runDir = run.toAbsolutePath().normalize();
    if (!Files.isRegularFile(prompts)) {
      throw new InvalidInputException("--prompts " + prompts + " is not a file"
          + (Files.exists(prompts) ? "" : " (it does not exist)"));
    }
    BackendProvider policyBackend = backend.provider();
    BackendProvider judging = judgeBackend == null ? policyBackend : Backends.get(judgeBackend);

    List<Prompt> ps = PromptFiles.read(prompts);
    if (ps.isEmpty()) {
      throw new InvalidInputException("--prompts " + prompts + " holds no prompt");
    }
    String runId = existingRunId(runDir);
    checkOptions(runDir, policyDir, labelerDir, policyBackend.name(), judging.name());
    out.printf(Locale.ROOT, "align: %d prompts from %s; policy %s, labeler %s (backend %s%s)%n",
        ps.size(), prompts, policyDir, labelerDir, policyBackend.name(),
        judging == policyBackend ? "" : ", labeler on " + judging.name());
    out.printf(Locale.ROOT, "align: %s run directory %s%n", runId != null ? "resuming the" : "new",
        runDir);

    DpoTrainer trainer = policyBackend.newDpoTrainer(options);
    LoopResult result;
    Report report = new Report(out);
    try (PolarJudge judge = judging.newJudge(Checkpoint.of(labelerDir), judgeOptions)) {
      AlignmentLoop.Builder loop = AlignmentLoop.builder()
          .initialPolicy(Checkpoint.of(policyDir))
          .sampler(p -> policyBackend.newSampler(p, options))
          .scorer(DivideAndConquerScorer.ruleBased(judge))
          .pairSelector(RlaifvPairSelector.builder().maxPairsPerPrompt(maxPairs).seed(seed)
              .lengthBalancing(lengthBalancing).build())
          .trainer(trainer)
          .samplingParams(params)
          .dpoConfig(dpo)
          .iterations(iterations)
          .runDirectory(runDir)
          .listener(new LoopProgress("align"))
          .listener(report)
          .seed(seed)
          .provenance("command", "rlaifv align")
          .provenance("labeler", labelerDir.toString())
          .provenance("backend", policyBackend.name())
          .provenance("judge.backend", judging.name());
      if (runId != null) {
        // The loop derives the id from its configuration; resuming under the recorded id lets it
        // name the setting that changed, if one did, instead of refusing the id.
        loop.runId(runId);
      }
      result = loop.build().run(ps);
    }
    printSummary(result, report);
    return 0;
  }

  /** The id of the run a run directory holds, or null when it holds none yet. */
  private static String existingRunId(Path runDir) {
    Path manifest = runDir.resolve(RunDirectory.MANIFEST);
    if (!Files.exists(manifest)) {
      return null;
    }
    try {
      String id = JSON.readTree(manifest.toFile()).path("runId").asText("");
      return id.isBlank() ? null : id;
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
  }

  private DpoConfig dpoConfig() {
    Cli.positive(spec, "--beta", beta);
    Cli.positive(spec, "--lr", lr);
    Cli.nonNegative(spec, "--nll-weight", nllWeight);
    if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
      throw Cli.usage(spec, "--label-smoothing must be in [0, 0.5), got " + labelSmoothing);
    }
    if (!(warmupRatio >= 0 && warmupRatio < 1)) {
      throw Cli.usage(spec, "--warmup-ratio must be in [0, 1), got " + warmupRatio);
    }
    Cli.range(spec, "--epochs", epochs, 1, 1000);
    Cli.range(spec, "--dpo-batch-size", dpoBatchSize, 1, 1 << 16);
    Cli.range(spec, "--grad-accumulation", gradAccumulation, 1, 1 << 16);
    Cli.nonNegative(spec, "--max-grad-norm", maxGradNorm);
    Cli.nonNegative(spec, "--weight-decay", weightDecay);
    Cli.range(spec, "--checkpoints-per-epoch", checkpointsPerEpoch, 1, 1000);
    try {
      return DpoConfig.builder().beta(beta).lossType(loss).labelSmoothing(labelSmoothing)
          .nllWeight(nllWeight).lengthAveraged(lengthAveraged).learningRate(lr)
          .schedule(schedule).warmupRatio(warmupRatio).epochs(epochs).batchSize(dpoBatchSize)
          .gradAccumulationSteps(gradAccumulation).maxGradNorm(maxGradNorm)
          .weightDecay(weightDecay).seed(seed).checkpointsPerEpoch(checkpointsPerEpoch).build();
    } catch (InvalidInputException e) {
      throw Cli.usage(spec, e.getMessage());
    }
  }

  /**
   * Refuses to resume a run directory made with other options than the loop's manifest records;
   * records them on the first run.
   */
  private void checkOptions(Path runDir, Path policyDir, Path labelerDir, String samplingBackend,
      String judgeBackendName) {
    ObjectNode now = JSON.createObjectNode();
    now.put("--policy", policyDir.toString());
    now.put("--labeler", labelerDir.toString());
    now.put("--backend", samplingBackend);
    now.put("--judge-backend", judgeBackendName);
    now.put("--max-pairs", maxPairs);
    now.put("--length-balancing", lengthBalancing);
    now.put("--abstain-below", abstainBelow);
    now.put("claims", "rule-based splitter and questioner");
    Path file = runDir.resolve(OPTIONS_FILE);
    try {
      if (Files.exists(file)) {
        JsonNode before = JSON.readTree(file.toFile());
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : now.properties()) {
          JsonNode old = before.get(e.getKey());
          if (old == null || !old.asText().equals(e.getValue().asText())) {
            differ.add(e.getKey() + " " + (old == null ? "(unset)" : old.asText()) + ", now "
                + e.getValue().asText());
          }
        }
        if (!differ.isEmpty()) {
          throw new InvalidInputException("run directory " + runDir
              + " was made with other options (" + String.join("; ", differ)
              + "); rerun with the same options to resume, or use another --out");
        }
        return;
      }
      Files.createDirectories(runDir);
      JSON.writeValue(file.toFile(), now);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }

  private void printSummary(LoopResult result, Report report) {
    if (report.finished.isEmpty()) {
      out.printf(Locale.ROOT, "align: every iteration asked for (%d) was finished by an earlier "
          + "run; raise --iterations to continue%n", result.iterations().size());
    }
    out.printf(Locale.ROOT, "%nalign summary (run %s in %s)%n", result.runId(),
        result.runDirectory());
    out.println("  iter  responses  scored  mean score  claims  abstained  pairs  next policy");
    for (IterationSummary s : result.iterations()) {
      out.printf(Locale.ROOT, "  %4d  %9d  %6d  %10s  %6d  %9d  %5d  %s%n", s.iteration(),
          s.responses(), s.scored(), Double.isNaN(s.meanScore()) ? "n/a"
              : String.format(Locale.ROOT, "%.3f", s.meanScore()),
          s.claims(), s.abstained(), s.pairs(), s.selected().id()
              + (s.trainingSkipped() ? " (no pairs: not trained)" : "")
              + (report.finished.contains(s.iteration()) ? "" : " (earlier run)"));
    }
    int pairs = result.iterations().stream().mapToInt(IterationSummary::pairs).sum();
    out.printf(Locale.ROOT, "  %d pairs in %s/iter-K/pairs.jsonl%n", pairs,
        result.runDirectory());
    out.printf(Locale.ROOT, "  final policy: %s%n",
        result.finalPolicy().directory().toAbsolutePath().normalize());
  }

  /** One line per stage read back from the run directory and per finished iteration. */
  static final class Report implements LoopListener {
    private final PrintStream out;
    private final Set<Integer> finished = new HashSet<>();

    Report(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
      if (summary.resumed()) {
        out.printf(Locale.ROOT, "iteration %d %s: %d items read back from the run directory%n",
            iteration, stage.key(), summary.items());
      }
    }

    @Override
    public void onIterationEnd(IterationSummary s) {
      finished.add(s.iteration());
      out.printf(Locale.ROOT, "iteration %d: %d responses to %d prompts, mean score %s, %d pairs,"
              + " next policy %s (%.1f s)%n", s.iteration(), s.responses(), s.prompts(),
          Double.isNaN(s.meanScore()) ? "n/a" : String.format(Locale.ROOT, "%.3f", s.meanScore()),
          s.pairs(), s.selected().id(), s.seconds());
    }
  }
}
