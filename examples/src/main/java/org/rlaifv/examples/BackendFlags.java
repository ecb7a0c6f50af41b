package org.rlaifv.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rlaifv.InvalidInputException;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that open models through the backend SPI: which backend, and the {@link
 * BackendOptions} it gets. Shared by {@code judge}, {@code sample} and {@code align}, whose
 * {@link LibraryDefaults} supply the batch size's default.
 */
final class BackendFlags {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--backend", paramLabel = "NAME", defaultValue = "djl",
      description = "Backend that opens the model: djl or onnx (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
      description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Intra-op threads; 0 lets the engine decide (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--batch-size", paramLabel = "N",
      description = "Most sequences run through the model at once (default: ${DEFAULT-VALUE}).")
  int batchSize = BackendOptions.defaults().batchSize();

  @Option(names = "--backend-property", paramLabel = "KEY=VALUE",
      description = "A backend-specific setting, e.g. onnx.optimization=all; repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  /**
   * Returns the named backend.
   *
   * @return the provider
   * @throws org.rlaifv.BackendException listing the registered backends when none has the name
   */
  BackendProvider provider() {
    return Backends.get(backend);
  }

  /**
   * Returns the options the flags describe.
   *
   * @return the options
   */
  BackendOptions options() {
    Cli.range(spec, "--threads", threads, 0, 4096);
    BackendOptions o;
    try {
      o = BackendOptions.defaults().withDevice(device).withThreads(threads);
    } catch (InvalidInputException e) {
      throw Cli.usage(spec, "--device must be cpu, cuda, cuda:N or auto, got '" + device + "'");
    }
    o = o.withBatchSize(Cli.range(spec, "--batch-size", batchSize, 1, 1 << 20));
    for (Map.Entry<String, String> p : properties.entrySet()) {
      o = o.withProperty(p.getKey(), p.getValue());
    }
    return o;
  }
}
