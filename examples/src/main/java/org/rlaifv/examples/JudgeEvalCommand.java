package org.rlaifv.examples;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.concurrent.Callable;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.examples.shapes.ShapesDemo;
import org.rlaifv.examples.shapes.ShapesModels;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.testkit.JudgeHarness;
import org.rlaifv.testkit.JudgeReport;
import org.rlaifv.testkit.LabelledQuestion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code judge-eval}: measures a judge on ShapesWorld's balanced hard held-out polar questions
 * with the testkit's {@link JudgeHarness} and writes {@code DIR/judge_report.json} (accuracy,
 * balanced accuracy, AUROC, ECE, abstain rate, consistency, n).
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar judge-eval --judge labeler --out runs/judge
 * }</pre>
 *
 * <p>Judges: {@code labeler} (the shipped labeler model), {@code oracle} (the scene graph; the
 * harness's sanity check), {@code policy} (the SFT policy asked the same questions: what
 * self-feedback would rely on).
 */
@Command(name = "judge-eval", sortOptions = false,
    description = {"Measures a judge on ShapesWorld's balanced hard held-out polar questions with "
        + "the testkit's JudgeHarness; writes DIR/judge_report.json.", ""})
final class JudgeEvalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--judge", paramLabel = "JUDGE", defaultValue = "labeler",
      description = "labeler (the shipped labeler), oracle (the scene graph) or policy (the SFT "
          + "policy asked the same questions) (default: ${DEFAULT-VALUE}).")
  String judge;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/judge-eval",
      description = "Where judge_report.json is written (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Directory holding shapes-policy and shapes-labeler (default: the shipped "
          + "examples/models).")
  String modelsOption;

  @Option(names = "--n", paramLabel = "N", defaultValue = "512",
      description = "Questions, 8 to 100000 (default: ${DEFAULT-VALUE}).")
  int n;

  @Mixin
  HelpFlag help;

  JudgeEvalCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    String which = Cli.choice(spec, "--judge", judge, List.of("labeler", "oracle", "policy"));
    Cli.range(spec, "--n", n, 8, 100_000);

    ShapesWorld world = ShapesWorld.defaults();
    List<PolarExample> hard = world.hardQuestions(Split.TEST, ShapesDemo.TEST_SEED, n);
    List<LabelledQuestion> questions = new ArrayList<>(hard.size());
    for (int i = 0; i < hard.size(); i++) {
      PolarExample e = hard.get(i);
      questions.add(LabelledQuestion.of("test-" + i + "-" + e.kind().name().toLowerCase(Locale.ROOT),
          e.image(), e.question(), e.answer()));
    }
    JudgeReport report;
    long t0 = System.nanoTime();
    if (which.equals("oracle")) {
      report = evaluate(world.oracleJudge(), questions);
    } else {
      Path models = ShapesModels.requireModelsDirectory(modelsOption);
      Path modelDir = models.resolve(which.equals("labeler") ? ShapesModels.LABELER : ShapesModels.POLICY);
      if (!Files.isRegularFile(modelDir.resolve("model.safetensors"))) {
        throw new InvalidInputException("no model in " + modelDir + " (pass --models DIR)");
      }
      try (DjlPolarJudge judge = new DjlPolarJudge(LoadedVlm.load(modelDir, Device.cpu()),
          BackendOptions.defaults(), true)) {
        report = evaluate(judge, questions);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ObjectNode json = JSON.createObjectNode();
    json.put("judge", which);
    json.put("question_set", "ShapesWorld hard held-out polar questions (test split, balanced yes/no"
        + " and wrong colour / wrong shape / partner / wrong place)");
    for (Map.Entry<String, Number> m : report.metrics().entrySet()) {
      double v = m.getValue().doubleValue();
      if (m.getKey().equals("n")) {
        json.put("n", m.getValue().intValue());
      } else if (Double.isNaN(v)) {
        json.putNull(m.getKey());
      } else {
        json.put(m.getKey(), v);
      }
    }
    json.put("seconds", Math.round(seconds * 10) / 10.0);
    json.put("worst_items", report.describeWorstItems());
    Path file = dir.resolve("judge_report.json");
    try {
      Files.createDirectories(dir);
      JSON.writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    out.println("judge-eval (" + which + "): " + report.summary());
    out.println("wrote " + file);
    return 0;
  }

  private static JudgeReport evaluate(PolarJudge judge, List<LabelledQuestion> questions) {
    try (Progress bar = Progress.start("judging", 1)) {
      JudgeReport r = JudgeHarness.defaults().evaluate(judge, questions);
      bar.stepTo(1);
      return r;
    }
  }
}
