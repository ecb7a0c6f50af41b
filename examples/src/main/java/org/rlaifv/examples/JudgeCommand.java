package org.rlaifv.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code judge}: asks a labeler model yes/no questions about one image through the backend SPI
 * ({@code Backends.get(name).newJudge(Checkpoint.of(dir), options)}), so it runs on every model
 * directory the chosen backend opens.
 *
 * <pre>{@code
 * rlaifv judge --model examples/models/shapes-labeler --image scene.png \
 *     --question "is there a red circle on the top left?" --question "is there a blue square?"
 * }</pre>
 *
 * <p>Prints, per question, {@code p_yes}, {@code p_no} and the verdict: {@code yes} when {@code
 * p_yes > p_no}, {@code no} otherwise (a tie rejects, as the scorer counts it), {@code abstain}
 * when the yes/no mass falls under {@code --abstain-below}.
 */
@Command(name = "judge", sortOptions = false,
    defaultValueProvider = LibraryDefaults.class,
    description = {"Asks a labeler model yes/no questions about an image and prints, per "
        + "question, p_yes, p_no and the verdict (yes, no, or abstain when p_yes + p_no is under "
        + "--abstain-below).", ""})
final class JudgeCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "The labeler's model directory (any the backend opens).")
  Path model;

  @Option(names = "--image", paramLabel = "FILE", required = true,
      description = "The image: PNG, JPEG, BMP or GIF.")
  Path image;

  @Option(names = "--question", paramLabel = "TEXT", required = true,
      description = "A yes/no question; repeat for several (answered in order, the image "
          + "encoded once).")
  List<String> questions = new ArrayList<>();

  @Option(names = "--abstain-below", paramLabel = "X",
      description = "Abstain when p_yes + p_no is under X, in [0, 1] (default: ${DEFAULT-VALUE}).")
  double abstainBelow;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Mixin
  BackendFlags backend;

  @Mixin
  HelpFlag help;

  JudgeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    List<PolarQuestion> qs = new ArrayList<>();
    for (String q : questions) {
      if (q.isBlank()) {
        throw Cli.usage(spec, "--question must not be empty");
      }
      qs.add(new PolarQuestion(new Claim(q.strip()), q.strip()));
    }
    BackendOptions options = backend.options();
    if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
      throw Cli.usage(spec, "--abstain-below must be in [0, 1], got " + abstainBelow);
    }
    options = options.withAbstainBelow(abstainBelow);
    BackendProvider provider = backend.provider();
    Cli.directory("--model", model);
    Image img = Image.fromFile(image);
    List<ClaimVerdict> verdicts;
    try (PolarJudge judge = provider.newJudge(Checkpoint.of(model), options)) {
      verdicts = judge.judge(img, qs);
    }
    if (verdicts.size() != qs.size()) {
      throw new BackendException("backend '" + backend.backend + "' answered " + verdicts.size()
          + " of " + qs.size() + " questions");
    }
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.put("model", model.toString());
      root.put("image", image.toString());
      root.put("backend", backend.backend);
      ArrayNode arr = root.putArray("verdicts");
      for (ClaimVerdict v : verdicts) {
        ObjectNode o = arr.addObject();
        o.put("question", v.question().question());
        o.put("p_yes", v.pYes());
        o.put("p_no", v.pNo());
        o.put("verdict", verdict(v));
        o.put("abstained", v.abstained());
      }
      out.println(JSON.writeValueAsString(root));
    } else {
      out.println("p_yes   p_no    verdict  question");
      for (ClaimVerdict v : verdicts) {
        out.printf(Locale.ROOT, "%.4f  %.4f  %-7s  %s%n", v.pYes(), v.pNo(), verdict(v),
            v.question().question());
      }
    }
    return 0;
  }

  /** {@code abstain}, {@code no} (ties reject) or {@code yes}. */
  static String verdict(ClaimVerdict v) {
    return v.abstained() ? "abstain" : v.rejected() ? "no" : "yes";
  }
}
