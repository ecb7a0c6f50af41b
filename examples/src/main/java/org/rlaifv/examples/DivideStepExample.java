package org.rlaifv.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.text.PromptedClaimSplitter;
import org.rlaifv.core.text.PromptedPolarQuestioner;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * RLAIF-V's divide step on a local LLM: the prompted claim splitter turns each response into
 * claims, and the prompted questioner rewrites the claims as yes/no questions, both answered by a
 * text generator the backend opens on a Hugging Face causal LM directory ({@code
 * LlamaForCausalLM}, {@code MistralForCausalLM} or {@code Qwen2ForCausalLM}).
 *
 * <pre>{@code
 * java -cp examples/target/rlaifv.jar org.rlaifv.examples.DivideStepExample \
 *     --model ~/models/Qwen2.5-0.5B-Instruct \
 *     --response "There is a red circle on the left. I think the picture looks lovely."
 * }</pre>
 *
 * <p>Decoding is greedy unless {@code --temperature} is set; every stage sends all its prompts in
 * one batched {@code generateAll} call. {@code --show-outputs} prints what the model wrote.
 */
@Command(name = "divide-step", sortOptions = false,
    defaultValueProvider = DivideStepExample.GreedyDefaults.class,
    description = {"Splits responses into claims and rewrites the claims as yes/no questions with "
        + "a local causal LM (RLAIF-V's divide step).", ""})
public final class DivideStepExample implements Callable<Integer> {

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "A Hugging Face causal LM directory (config.json, *.safetensors, "
          + "tokenizer.json, tokenizer_config.json with the chat template).")
  Path model;

  @Option(names = "--response", paramLabel = "TEXT", required = true,
      description = "A response to divide; repeatable (all go through the model as one batch).")
  List<String> responses = new ArrayList<>();

  @Mixin
  SamplingFlags sampling;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Base seed when sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--show-outputs", description = "Also print the model's raw outputs.")
  boolean showOutputs;

  @Mixin
  BackendFlags backend;

  @Mixin
  HelpFlag help;

  private DivideStepExample(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the example and exits with the command line's status (0 ok, 2 usage, 1 failure).
   *
   * @param args {@code --model DIR --response TEXT [--response TEXT ...] [options]}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the example.
   *
   * @param args the command line
   * @param out where the claims and questions go
   * @return 0 on success, 2 on a bad command line, 1 on a failure
   */
  static int run(String[] args, PrintStream out) {
    return Main.execute(new DivideStepExample(out), args, out);
  }

  /** The library defaults, but greedy: the divide step should be reproducible. */
  static final class GreedyDefaults extends LibraryDefaults {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (argSpec instanceof OptionSpec o && o.longestName().equals("--temperature")) {
        return "0.0";
      }
      return super.defaultValue(argSpec);
    }
  }

  /** Keeps the outputs of every batch, to show what the model wrote. */
  private static final class Recording implements TextGenerator {
    private final TextGenerator inner;
    private final List<String> outputs = new ArrayList<>();

    Recording(TextGenerator inner) {
      this.inner = inner;
    }

    @Override
    public String generate(String prompt) {
      return generateAll(List.of(prompt)).get(0);
    }

    @Override
    public List<String> generateAll(List<String> prompts) {
      List<String> got = inner.generateAll(prompts);
      outputs.addAll(got);
      return got;
    }
  }

  @Override
  public Integer call() {
    for (String r : responses) {
      if (r.isBlank()) {
        throw Cli.usage(spec, "--response must not be empty");
      }
    }
    SamplingParams decoding = sampling.params(1, seed);
    BackendOptions options = backend.options();
    BackendProvider provider = backend.provider();
    Cli.directory("--model", model);
    long start = System.nanoTime();
    try (TextGenerator llm = provider.newTextGenerator(Checkpoint.of(model), options, decoding)) {
      Recording rec = new Recording(llm);
      PromptedClaimSplitter splitter = new PromptedClaimSplitter(rec);
      List<List<Claim>> claims = splitter.splitAll(responses);
      int splitOutputs = rec.outputs.size();
      PromptedPolarQuestioner questioner = new PromptedPolarQuestioner(rec);
      List<List<PolarQuestion>> questions = questioner.questionsAll(claims);
      int q = 0;
      for (int i = 0; i < responses.size(); i++) {
        out.printf(Locale.ROOT, "response %d: %s%n", i + 1, responses.get(i));
        if (showOutputs) {
          out.println("  model output (claims):");
          out.println(indent(rec.outputs.get(i), "    "));
        }
        if (claims.get(i).isEmpty()) {
          out.println("  no claims (the model wrote no readable fact list)");
          continue;
        }
        for (Claim c : claims.get(i)) {
          out.println("  claim:    " + c.text());
          for (PolarQuestion pq : questions.get(i)) {
            if (pq.claim().equals(c)) {
              out.println("  question: " + pq.question());
            }
          }
        }
        if (showOutputs) {
          out.println("  model output (questions):");
          out.println(indent(rec.outputs.get(splitOutputs + q), "    "));
        }
        q++;
      }
      out.printf(Locale.ROOT,
          "%d response(s): %d without a readable fact list, %d question list(s) whose count"
              + " differed from the claims; %.1f s with %s%n",
          responses.size(), splitter.parser().emptyOutputs(), questioner.countMismatches(),
          (System.nanoTime() - start) / 1e9, backend.backend);
    }
    return 0;
  }

  private static String indent(String text, String pad) {
    return pad + text.strip().replace("\n", "\n" + pad);
  }
}
