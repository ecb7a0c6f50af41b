package org.rlaifv.examples;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.rlaifv.DpoConfig;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.RlaifvPairSelector;
import org.rlaifv.spi.BackendOptions;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Default values of the sampling, DPO, pair and judge options, read from the library's own
 * defaults ({@code SamplingParams.builder()}, {@code DpoConfig.builder()}, {@code
 * RlaifvPairSelector.builder()}, {@code BackendOptions.defaults()}), so {@code --help} and the
 * commands agree with the SDK. {@code --n} is left to each command.
 */
class LibraryDefaults implements IDefaultValueProvider {

  /** Option name to default, as picocli parses it. */
  static final Map<String, String> VALUES = values();

  @Override
  public String defaultValue(ArgSpec argSpec) {
    return argSpec instanceof OptionSpec o ? VALUES.get(o.longestName()) : null;
  }

  private static Map<String, String> values() {
    SamplingParams s = SamplingParams.builder().build();
    DpoConfig d = DpoConfig.builder().build();
    RlaifvPairSelector p = RlaifvPairSelector.builder().build();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("--temperature", String.valueOf(s.temperature()));
    m.put("--top-p", String.valueOf(s.topP()));
    m.put("--top-k", String.valueOf(s.topK()));
    m.put("--max-new-tokens", String.valueOf(s.maxNewTokens()));
    m.put("--beta", String.valueOf(d.beta()));
    m.put("--loss", d.lossType().name().toLowerCase(Locale.ROOT));
    m.put("--label-smoothing", String.valueOf(d.labelSmoothing()));
    m.put("--nll-weight", String.valueOf(d.nllWeight()));
    m.put("--lr", String.valueOf(d.learningRate()));
    m.put("--schedule", d.schedule().name().toLowerCase(Locale.ROOT));
    m.put("--warmup-ratio", String.valueOf(d.warmupRatio()));
    m.put("--epochs", String.valueOf(d.epochs()));
    m.put("--dpo-batch-size", String.valueOf(d.batchSize()));
    m.put("--grad-accumulation", String.valueOf(d.gradAccumulationSteps()));
    m.put("--max-grad-norm", String.valueOf(d.maxGradNorm()));
    m.put("--weight-decay", String.valueOf(d.weightDecay()));
    m.put("--checkpoints-per-epoch", String.valueOf(d.checkpointsPerEpoch()));
    m.put("--max-pairs", String.valueOf(p.maxPairsPerPrompt()));
    m.put("--abstain-below", String.valueOf(BackendOptions.DEFAULT_ABSTAIN_BELOW));
    m.put("--batch-size", String.valueOf(BackendOptions.defaults().batchSize()));
    return Map.copyOf(m);
  }

  /** The defaults plus {@code --n} at {@code SamplingParams}' default, for {@code align}. */
  static final class WithSampleCount extends LibraryDefaults {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (argSpec instanceof OptionSpec o && o.longestName().equals("--n")) {
        return String.valueOf(SamplingParams.builder().build().n());
      }
      return super.defaultValue(argSpec);
    }
  }
}
