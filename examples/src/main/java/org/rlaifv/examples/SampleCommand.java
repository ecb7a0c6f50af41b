package org.rlaifv.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Image;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sample}: draws responses from a policy model for one image and prompt through the
 * backend SPI ({@code Backends.get(name).newSampler(Checkpoint.of(dir), options)}), so it runs on
 * every model directory the chosen backend opens.
 *
 * <pre>{@code
 * rlaifv sample --model examples/models/shapes-policy --image scene.png --prompt "describe the image." --n 4
 * }</pre>
 *
 * <p>Response {@code i} is sampled with seed {@code SamplingParams.seedFor(i)} of base seed {@code
 * --seed}; the same options give the same texts.
 */
@Command(name = "sample", sortOptions = false,
    defaultValueProvider = LibraryDefaults.class,
    description = {"Samples responses from a model for an image and a prompt and prints them, "
        + "each with its index, seed and token count.", ""})
final class SampleCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", paramLabel = "DIR", required = true,
      description = "The policy's model directory (any the backend opens).")
  Path model;

  @Option(names = "--image", paramLabel = "FILE", required = true,
      description = "The image: PNG, JPEG, BMP or GIF.")
  Path image;

  @Option(names = "--prompt", paramLabel = "TEXT", required = true,
      description = "The instruction, e.g. \"describe the image.\"")
  String prompt;

  @Option(names = "--n", paramLabel = "N", defaultValue = "1",
      description = "Responses to draw (default: ${DEFAULT-VALUE}).")
  int n;

  @Mixin
  SamplingFlags sampling;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Base seed of the responses' seeds (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Mixin
  BackendFlags backend;

  @Mixin
  HelpFlag help;

  SampleCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (prompt.isBlank()) {
      throw Cli.usage(spec, "--prompt must not be empty");
    }
    SamplingParams params = sampling.params(Cli.range(spec, "--n", n, 1, 10_000), seed);
    BackendOptions options = backend.options();
    BackendProvider provider = backend.provider();
    Cli.directory("--model", model);
    Prompt p = new Prompt("cli", Image.fromFile(image), prompt);
    List<Response> responses;
    try (ResponseSampler sampler = provider.newSampler(Checkpoint.of(model), options)) {
      responses = sampler.sample(p, params);
    }
    if (responses.size() != params.n()) {
      throw new BackendException("backend '" + backend.backend + "' returned " + responses.size()
          + " of " + params.n() + " responses");
    }
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.put("model", model.toString());
      root.put("image", image.toString());
      root.put("prompt", prompt);
      root.put("backend", backend.backend);
      ObjectNode ps = root.putObject("params");
      ps.put("n", params.n());
      ps.put("temperature", params.temperature());
      ps.put("top_p", params.topP());
      ps.put("top_k", params.topK());
      ps.put("max_new_tokens", params.maxNewTokens());
      ps.put("seed", params.baseSeed());
      params.stopSequences().forEach(ps.putArray("stop")::add);
      ArrayNode arr = root.putArray("responses");
      for (Response r : responses) {
        ObjectNode o = arr.addObject();
        o.put("index", r.index());
        o.put("seed", r.seed());
        o.put("tokens", r.tokenCount());
        o.put("text", r.text());
      }
      out.println(JSON.writeValueAsString(root));
    } else {
      for (Response r : responses) {
        out.printf(Locale.ROOT, "[%d] seed %d, %d tokens%n%s%n", r.index(), r.seed(),
            r.tokenCount(), r.text());
      }
    }
    return 0;
  }
}
