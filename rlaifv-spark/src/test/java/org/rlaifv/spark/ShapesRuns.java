package org.rlaifv.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoConfig;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.core.loop.BackendSpec;
import org.rlaifv.core.loop.LoopResult;
import org.rlaifv.core.loop.ScorerSpec;
import org.rlaifv.core.loop.StageRunner;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.djl.train.DjlDpoTrainer;
import org.rlaifv.spi.BackendOptions;

/**
 * A small ShapesWorld alignment run with the shipped models (examples/models), the same for every
 * runner: the sampler and scorer are given as specs so that executors can open them.
 */
final class ShapesRuns {
  static final long SEED = 7;
  static final BackendSpec DJL = new BackendSpec("djl", BackendOptions.defaults());

  private ShapesRuns() {}

  /** The shipped ShapesWorld models, as seen from this module's directory. */
  static Path models() {
    Path dir = Path.of("..", "examples", "models").toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("shapes-policy"))) {
      throw new IllegalStateException("no ShapesWorld models in " + dir);
    }
    return dir;
  }

  static List<Prompt> prompts(int count) {
    return ShapesWorld.defaults().prompts(Split.TRAIN, count, SEED);
  }

  static AlignmentLoop.Builder loop(Path runDir, int iterations, StageRunner runner) {
    Path models = models();
    return AlignmentLoop.builder()
        .initialPolicy(Checkpoint.of(models.resolve("shapes-policy")))
        .sampler(DJL)
        .scorer(ScorerSpec.ruleBased(DJL, Checkpoint.of(models.resolve("shapes-labeler"))))
        .pairSelector(RlaifvPairSelector.builder().maxPairsPerPrompt(2).seed(SEED).build())
        .trainer(new DjlDpoTrainer(BackendOptions.defaults()))
        .samplingParams(SamplingParams.builder().n(4).temperature(1.0).maxNewTokens(48).build())
        .dpoConfig(DpoConfig.builder().nllWeight(1.0).learningRate(5e-5).epochs(1).batchSize(8)
            .checkpointsPerEpoch(1).seed(SEED).build())
        .iterations(iterations)
        .runDirectory(runDir)
        .seed(SEED)
        .stageRunner(runner);
  }

  static LoopResult run(Path runDir, int iterations, StageRunner runner, List<Prompt> prompts) {
    return loop(runDir, iterations, runner).build().run(prompts);
  }

  static byte[] file(Path runDir, int iteration, String name) {
    try {
      return Files.readAllBytes(runDir.resolve("iter-" + iteration).resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
