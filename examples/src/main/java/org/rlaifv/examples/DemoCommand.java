package org.rlaifv.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlaifv.examples.shapes.HardAblations;
import org.rlaifv.examples.shapes.HardShapesDemo;
import org.rlaifv.examples.shapes.ShapesDemo;
import org.rlaifv.examples.shapes.ShapesModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the ShapesWorld RLAIF-V run (see {@link ShapesDemo}).
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar demo --out runs/demo [--iterations 4] [--seed 0] [--quick] [--baselines] [--lora]
 * }</pre>
 */
@Command(name = "demo", sortOptions = false,
    description = {"RLAIF-V on ShapesWorld: evaluates the shipped SFT policy, aligns it with the "
        + "shipped labeler's feedback, evaluates after every iteration on held-out test scenes, "
        + "and writes DIR/report.json, DIR/report.png and the resumable run directory DIR/run.",
        ""})
final class DemoCommand implements Callable<Integer> {
  /** Base seed of the test scenes (shared with pretrain's measurement). */
  static final long TEST_SEED = ShapesDemo.TEST_SEED;

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: runs/demo, or runs/demo-quick with --quick).")
  Path dir;

  @Option(names = "--iterations", paramLabel = "N",
      description = "Alignment iterations, 1 to 100 (default: 4; with --quick 2, or 1 with --world "
          + "hard).")
  Integer iterations;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of the training scenes, sampling and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--quick", description = "A small, fast run: 48 prompts, fewer test scenes.")
  boolean quick;

  @Option(names = "--baselines",
      description = "Also run one-shot DPO, oracle feedback and self-feedback.")
  boolean baselines;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Directory holding shapes-policy and shapes-labeler (default: models next to "
          + "the jar's directory, i.e. examples/models; or -D" + ShapesModels.PROPERTY + ", "
          + ShapesModels.ENV + ").")
  String models;

  @Option(names = "--feedback", paramLabel = "JUDGE", defaultValue = "labeler",
      description = "Judge of the main run: labeler or oracle (ground truth) (default: "
          + "${DEFAULT-VALUE}).")
  String feedback;

  @Option(names = "--lr", paramLabel = "X", description = "DPO learning rate (experiments).")
  Double lr;

  @Option(names = "--epochs", paramLabel = "N", description = "DPO epochs, 1 to 100 (experiments).")
  Integer epochs;

  @Option(names = "--lora",
      description = "Train LoRA adapters (rank 8, alpha 16, every decoder projection) instead of "
          + "every parameter; each iteration continues from the merged adapter.")
  boolean lora;

  @Option(names = "--world", paramLabel = "WORLD", defaultValue = "easy",
      description = "easy (the default) or hard: counts, sizes and relations, four kinds of "
          + "error measured separately, the multitask policy (default: ${DEFAULT-VALUE}).")
  String world;

  @Option(names = "--self-feedback",
      description = "Hard world: the policy judges its own claims (no separate labeler).")
  boolean selfFeedback;

  @Option(names = "--labeler", paramLabel = "NAME",
      description = "Hard world: the labeler's directory under the models directory (default: "
          + ShapesModels.HARD_LABELER + "; pretrain also saves "
          + "shapes-hard-labeler-q75 and -q85 when its labeler passes 75%% and 85%%).")
  String labeler;

  @Option(names = "--oracle-accuracy", paramLabel = "Q",
      description = "Hard world, with --feedback oracle: keep only this share of the ground "
          + "truth's verdicts (a labeler of set quality), in [0.5, 1].")
  Double oracleAccuracy;

  @Option(names = "--confounded",
      description = "Hard world: half the candidates at T = 0.5, half at T = 1.5.")
  boolean confounded;

  @Option(names = "--one-shot-pairs", paramLabel = "N",
      description = "Hard world: one round from the SFT policy over iterations x prompts "
          + "prompts, keeping at most N pairs.")
  Integer oneShotPairs;

  @Option(names = "--best-of-n", paramLabel = "N[,N...]", split = ",",
      description = "Hard world: best-of-N on the aligned policy by implicit reward, labeler "
          + "and chance, at these N.")
  List<Integer> bestOfN;

  @Option(names = "--ablations", paramLabel = "VARIANTS", arity = "0..1", fallbackValue = "all",
      split = ",", description = "Hard world: run the ablations (all, or some of "
          + "rlaifv, confounded, one_shot, holistic, rating, labeler_q75, labeler_q85, self_feedback, oracle_75, "
          + "oracle_85, oracle_95) on --seeds.")
  List<String> ablations;

  @Option(names = "--scoring", paramLabel = "HOW",
      description = "Hard world: divide (RLAIF-V: -n_rej over atomic claims, the default), "
          + "holistic (p_yes of one question about the whole answer) or rating (the expected "
          + "rating, one to five, of the whole answer).")
  String scoring;

  @Option(names = "--max-pairs-per-iteration", paramLabel = "N",
      description = "Hard world: train on at most N pairs per iteration (the first, in prompt "
          + "order).")
  Integer maxPairsPerIteration;

  @Option(names = "--no-length-balancing",
      description = "Hard world: pair without length balancing (by default pairs whose rejected "
          + "answer is much longer than the chosen one are dropped, against -n_rej's bias to "
          + "short answers).")
  boolean noLengthBalancing;

  @Option(names = "--seeds", paramLabel = "S[,S...]", split = ",", defaultValue = "0,1,2",
      description = "Seeds of --ablations (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Mixin
  HelpFlag help;

  DemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    int n = iterations == null ? (quick ? 2 : 4) : Cli.range(spec, "--iterations", iterations, 1,
        100);
    String judge = Cli.choice(spec, "--feedback", feedback, List.of("labeler", "oracle"));
    Double rate = lr == null ? null : Cli.positive(spec, "--lr", lr);
    Integer ep = epochs == null ? null : Cli.range(spec, "--epochs", epochs, 1, 100);
    Path modelsDir = ShapesModels.requireModelsDirectory(models);
    if (Cli.choice(spec, "--world", world, List.of("easy", "hard")).equals("hard")) {
      return hard(n, judge, rate, ep, modelsDir);
    }
    if (selfFeedback || labeler != null || oracleAccuracy != null || confounded || oneShotPairs != null || bestOfN != null
        || ablations != null || scoring != null || maxPairsPerIteration != null
        || noLengthBalancing) {
      throw Cli.usage(spec, "--self-feedback, --labeler, --confounded, --one-shot-pairs, "
          + "--best-of-n, --scoring, --max-pairs-per-iteration, --no-length-balancing and "
          + "--ablations need --world hard");
    }
    Path out = dir != null ? dir : Path.of(quick ? "runs/demo-quick" : "runs/demo");
    ShapesDemo.Settings settings = quick
        ? ShapesDemo.Settings.quick(modelsDir, out, seed, n)
        : ShapesDemo.Settings.defaults(modelsDir, out, seed, n);
    settings = settings.withFeedback(judge);
    if (lora) {
      settings = settings.withDpo(ShapesDemo.withLora(settings.dpo()));
    }
    if (rate != null || ep != null) {
      settings = settings.withDpo(settings.dpo().toBuilder()
          .learningRate(rate != null ? rate : settings.dpo().learningRate())
          .epochs(ep != null ? ep : settings.dpo().epochs()).build());
    }
    new ShapesDemo(settings.withBaselines(baselines)).run(this.out);
    return 0;
  }

  private int hard(int n, String judge, Double rate, Integer ep, Path modelsDir) {
    if (baselines) {
      throw Cli.usage(spec, "--baselines is the easy world's; the hard world runs --ablations");
    }
    if (lora) {
      throw Cli.usage(spec, "--lora runs on the easy world only");
    }
    Path out = dir != null ? dir : Path.of(quick ? "runs/hard-quick" : "runs/hard");
    int iters = iterations == null ? (quick ? 1 : 4) : n;
    HardShapesDemo.Settings settings = quick
        ? HardShapesDemo.Settings.quick(modelsDir, out, seed, iters)
        : HardShapesDemo.Settings.defaults(modelsDir, out, seed, iters);
    settings = settings.withLengthBalancing(!noLengthBalancing);
    if (rate != null || ep != null) {
      settings = settings.withDpo(settings.dpo().toBuilder()
          .learningRate(rate != null ? rate : settings.dpo().learningRate())
          .epochs(ep != null ? ep : settings.dpo().epochs()).build());
    }
    List<Integer> ns = bestOfN == null ? List.of() : bestOfN;
    for (int k : ns) {
      Cli.range(spec, "--best-of-n", k, 1, 256);
    }
    if (ablations != null) {
      if (scoring != null || maxPairsPerIteration != null) {
        throw Cli.usage(spec, "--ablations runs its own scoring variants (holistic, rating); "
            + "leave out --scoring and --max-pairs-per-iteration");
      }
      List<String> which = ablations.contains("all") ? HardAblations.VARIANTS : ablations;
      List<Integer> abN = bestOfN != null ? ns : quick ? List.of(1, 2) : List.of(1, 4, 16);
      new HardAblations(settings, seeds, which, abN).run(this.out);
      return 0;
    }
    String how = Cli.choice(spec, "--scoring", scoring == null ? "divide" : scoring,
        HardShapesDemo.SCORINGS);
    String feedback = selfFeedback ? "self" : judge;
    if (!how.equals("divide") && feedback.equals("oracle")) {
      throw Cli.usage(spec, "--scoring " + how + " needs a model judge (the labeler or "
          + "--self-feedback), not --feedback oracle");
    }
    settings = settings.withScoring(how);
    if (maxPairsPerIteration != null) {
      settings = settings.withMaxPairsPerIteration(
          Cli.range(spec, "--max-pairs-per-iteration", maxPairsPerIteration, 1, 10_000_000));
    }
    settings = settings.withFeedback(feedback, labeler != null ? labeler : ShapesModels.HARD_LABELER)
        .withConfounded(confounded).withBestOfN(ns);
    if (oracleAccuracy != null) {
      if (!(oracleAccuracy >= 0.5 && oracleAccuracy <= 1) || !feedback.equals("oracle")) {
        throw Cli.usage(spec, "--oracle-accuracy needs --feedback oracle and a value in [0.5, 1],"
            + " got " + oracleAccuracy);
      }
      settings = settings.withOracleAccuracy(oracleAccuracy);
    }
    if (oneShotPairs != null) {
      settings = settings.withOneShot(Cli.range(spec, "--one-shot-pairs", oneShotPairs, 1,
          10_000_000));
    }
    new HardShapesDemo(settings).run(this.out);
    return 0;
  }
}
