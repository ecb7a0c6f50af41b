package org.rlaifv.examples;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.SamplingParams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The decoding options of {@code sample} and {@code align}; their defaults are {@link
 * SamplingParams}' (through {@link LibraryDefaults}).
 */
final class SamplingFlags {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--temperature", paramLabel = "T",
      description = "Softmax temperature; 0 is greedy (default: ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-p", paramLabel = "P",
      description = "Nucleus mass in (0, 1]; 1 disables (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--top-k", paramLabel = "K",
      description = "Keep the K likeliest tokens; 0 disables (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--max-new-tokens", paramLabel = "M",
      description = "Most tokens per response (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--stop", paramLabel = "TEXT",
      description = "A string that ends a response when generated (cut before it); repeatable.")
  List<String> stop = new ArrayList<>();

  /**
   * Returns the parameters, each option checked with a usage error that names it.
   *
   * @param n responses per prompt, already checked
   * @param seed the base seed
   * @return the parameters
   */
  SamplingParams params(int n, long seed) {
    Cli.nonNegative(spec, "--temperature", temperature);
    if (!(topP > 0 && topP <= 1)) {
      throw Cli.usage(spec, "--top-p must be in (0, 1], got " + topP);
    }
    Cli.range(spec, "--top-k", topK, 0, Integer.MAX_VALUE);
    Cli.range(spec, "--max-new-tokens", maxNewTokens, 1, 1 << 20);
    for (String s : stop) {
      if (s.isEmpty()) {
        throw Cli.usage(spec, "--stop must not be empty");
      }
    }
    return SamplingParams.builder().n(n).temperature(temperature).topP(topP).topK(topK)
        .maxNewTokens(maxNewTokens).baseSeed(seed).stopSequences(List.copyOf(stop)).build();
  }
}
