package org.rlaifv.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
      description = "Alignment iterations, 1 to 100 (default: 4, or 2 with --quick).")
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
}
