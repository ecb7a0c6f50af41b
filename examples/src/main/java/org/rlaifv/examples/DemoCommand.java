package org.rlaifv.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.rlaifv.examples.shapes.ShapesDemo;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * {@code demo}: the ShapesWorld RLAIF-V run (see {@link ShapesDemo}).
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar demo --out runs/demo [--iterations 4] [--seed 0] [--quick] [--baselines]
 * }</pre>
 */
final class DemoCommand {
  /** Base seed of the test scenes (shared with pretrain's measurement). */
  static final long TEST_SEED = ShapesDemo.TEST_SEED;

  private DemoCommand() {}

  static void run(List<String> argv, PrintStream out) {
    Args a = Args.parse("demo", argv, Set.of("out", "iterations", "seed", "models", "feedback", "lr",
        "epochs"),
        Set.of("quick", "baselines"));
    boolean quick = a.flag("quick");
    Path models = ShapesModels.modelsDirectory(a.string("models", null));
    Path dir = a.path("out", quick ? "runs/demo-quick" : "runs/demo");
    long seed = a.longValue("seed", 0);
    int iterations = a.integer("iterations", quick ? 2 : 4, 1, 100);
    ShapesDemo.Settings settings = quick
        ? ShapesDemo.Settings.quick(models, dir, seed, iterations)
        : ShapesDemo.Settings.defaults(models, dir, seed, iterations);
    settings = settings.withFeedback(a.choice("feedback", "labeler", Set.of("labeler", "oracle")));
    if (a.has("lr") || a.has("epochs")) {
      settings = settings.withDpo(settings.dpo().toBuilder()
          .learningRate(a.decimal("lr", settings.dpo().learningRate()))
          .epochs(a.integer("epochs", settings.dpo().epochs(), 1, 100)).build());
    }
    new ShapesDemo(settings.withBaselines(a.flag("baselines"))).run(out);
  }
}
