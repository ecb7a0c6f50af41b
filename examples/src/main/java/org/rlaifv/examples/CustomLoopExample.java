package org.rlaifv.examples;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlaifv.Candidates;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.PairSelector;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.ScoredResponse;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.DivideAndConquerScorer;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.IterationSummary;
import org.rlaifv.core.loop.LoopListener;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSummary;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.core.text.PromptedClaimSplitter;
import org.rlaifv.core.text.RuleBasedPolarQuestioner;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.train.DjlDpoTrainer;
import org.rlaifv.examples.shapes.PolicyEvaluation;
import org.rlaifv.examples.shapes.ShapesModels;
import org.rlaifv.spi.BackendOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A research loop composed by hand: the user's own claim splitter (the LLM-prompted splitter over
 * a {@link TextGenerator}), the user's own pair rule (best against worst), and the user's own
 * listener, put together with {@link AlignmentLoop#builder()} around the ShapesWorld models.
 *
 * <pre>{@code
 * java -cp examples/target/rlaifv.jar org.rlaifv.examples.CustomLoopExample --out runs/custom
 * }</pre>
 *
 * <p>The text generator here is a small deterministic fact extractor that answers the splitter's
 * prompt in the {@code ### Facts:} format; in a real project it is a client of a local or hosted
 * LLM (one method: {@link TextGenerator#generate(String)}).
 */
@Command(name = "custom-loop", sortOptions = false,
    description = {"One iteration of a hand-composed RLAIF-V loop on the ShapesWorld models: a "
        + "prompted claim splitter, a best-versus-worst pair rule, a printing listener.", ""})
public final class CustomLoopExample implements Callable<Integer> {

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/custom-loop",
      description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Directory holding shapes-policy and shapes-labeler (default: the shipped "
          + "examples/models).")
  String models;

  @Option(names = "--prompts", paramLabel = "N", defaultValue = "32",
      description = "Training prompts, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int prompts;

  @Mixin
  HelpFlag help;

  private CustomLoopExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example and exits with the command line's status (0 ok, 2 usage, 1 failure).
   *
   * @param args {@code [--out DIR] [--models DIR] [--prompts N]}
   */
  public static void main(String[] args) {
    System.exit(Main.execute(new CustomLoopExample(System.out), args, System.out));
  }

  @Override
  public Integer call() {
    run(dir, ShapesModels.requireModelsDirectory(models),
        Cli.range(spec, "--prompts", prompts, 1, 10_000), out);
    return 0;
  }

  /**
   * Runs one iteration of the custom loop and prints the policy's test metrics before and after.
   *
   * @param dir the run directory
   * @param modelsDir the directory holding the ShapesWorld policy and labeler
   * @param n the number of training prompts
   * @param out where the summary goes
   * @return the loop's result
   */
  public static LoopResult run(Path dir, Path modelsDir, int n, PrintStream out) {
    Path models = modelsDir.toAbsolutePath().normalize();
    ShapesWorld world = ShapesWorld.defaults();
    List<Prompt> prompts = world.prompts(Split.TRAIN, n, 7L);
    List<Prompt> test = world.prompts(Split.TEST, 48, 7L);
    BackendOptions options = BackendOptions.defaults();

    // The user's own splitter: the reference's LLM prompt, answered by a TextGenerator.
    PromptedClaimSplitter splitter = new PromptedClaimSplitter(new FactListGenerator());
    try (DjlPolarJudge labeler = new DjlPolarJudge(
        LoadedVlm.load(models.resolve(ShapesModels.LABELER), Device.cpu()), options, true)) {
      LoopResult result = AlignmentLoop.builder()
          .initialPolicy(Checkpoint.of(models.resolve(ShapesModels.POLICY)))
          .sampler(policy -> new DjlResponseSampler(
              LoadedVlm.load(policy.directory(), Device.cpu()), options, true))
          .scorer(new DivideAndConquerScorer(splitter, new RuleBasedPolarQuestioner(), labeler))
          .pairSelector(new BestVersusWorst())
          .trainer(new DjlDpoTrainer(options))
          .samplingParams(SamplingParams.builder().n(6).temperature(1.0)
              .maxNewTokens(ShapesModels.MAX_NEW_TOKENS).build())
          .dpoConfig(DpoConfig.builder().beta(0.1).nllWeight(1.0).learningRate(5e-5).epochs(2)
              .batchSize(8).build())
          .iterations(1)
          .runDirectory(dir)
          .listener(new PrintingListener(out))
          .build()
          .run(prompts);
      for (Checkpoint c : List.of(Checkpoint.of(models.resolve(ShapesModels.POLICY)),
          result.finalPolicy())) {
        try (LoadedVlm vlm = LoadedVlm.load(c.directory(), Device.cpu())) {
          var r = PolicyEvaluation.evaluate(world, vlm, test, null);
          out.printf(Locale.ROOT, "%-16s CHAIR_i %.3f  coverage %.3f%n", c.id(), r.chairI(),
              r.coverage());
        }
      }
      out.println("splitter made " + splitter.calls() + " generator calls");
      return result;
    }
  }

  /**
   * Answers the splitter's prompt: every sentence of the description after the last {@code ###
   * Description:} header becomes one fact line.
   */
  static final class FactListGenerator implements TextGenerator {
    @Override
    public String generate(String prompt) {
      int at = prompt.lastIndexOf("### Description:");
      String description = at < 0 ? prompt : prompt.substring(at + "### Description:".length());
      StringBuilder sb = new StringBuilder("### Facts:\n");
      for (String sentence : description.strip().split("(?<=[.!?])\\s+")) {
        String s = sentence.strip();
        if (!s.isEmpty() && !s.toLowerCase(Locale.ROOT).startsWith("i think")) {
          sb.append("- ").append(s).append('\n');
        }
      }
      return sb.toString();
    }
  }

  /**
   * The user's pair rule: per prompt, the best-scored response against the worst, when their
   * scores differ; among equal scores the shorter is the better and the longer the worse answer.
   */
  static final class BestVersusWorst implements PairSelector {
    @Override
    public List<PreferencePair> select(List<Candidates> groups) {
      List<PreferencePair> pairs = new ArrayList<>();
      for (Candidates g : groups) {
        List<ScoredResponse> scored = g.responses().stream().filter(ScoredResponse::scored).toList();
        if (scored.size() < 2) {
          continue;
        }
        Comparator<ScoredResponse> better = Comparator.comparingInt(ScoredResponse::score)
            .thenComparing(r -> -r.response().wordCount())
            .thenComparing(r -> -r.response().index());
        ScoredResponse best = scored.stream().max(better).orElseThrow();
        ScoredResponse worst = scored.stream().min(better).orElseThrow();
        if (best.score() > worst.score()) {
          pairs.add(new PreferencePair(g.prompt(), best, worst));
        }
      }
      return pairs;
    }
  }

  /** The user's listener: one line per stage and per iteration. */
  static final class PrintingListener implements LoopListener {
    private final PrintStream out;

    PrintingListener(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
      out.printf(Locale.ROOT, "iteration %d %-6s %5d items in %.1f s%s%n", iteration, stage.key(),
          summary.items(), summary.seconds(), summary.resumed() ? " (resumed)" : "");
    }

    @Override
    public void onIterationEnd(IterationSummary s) {
      out.printf(Locale.ROOT, "iteration %d: %d responses, mean score %.2f, %d pairs, next policy %s%n",
          s.iteration(), s.responses(), s.meanScore(), s.pairs(), s.selected().id());
    }
  }
}
