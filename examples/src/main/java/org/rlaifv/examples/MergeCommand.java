package org.rlaifv.examples;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.djl.DjlAdapterMerger;
import org.rlaifv.djl.model.LoraAdapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code merge}: writes a PEFT LoRA adapter directory merged into its base (base + B A scale) as a
 * full Hugging Face model directory, the form the ONNX exporter and every loader take.
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar merge --adapter runs/demo/run/iter-1/train/checkpoint-96 --out merged
 * }</pre>
 */
@Command(name = "merge", sortOptions = false,
    description = {"Merges a PEFT LoRA adapter directory into its base model (named by "
        + "base_model_name_or_path in adapter_config.json) and writes the full model directory.",
        ""})
final class MergeCommand implements Callable<Integer> {
  private final PrintStream out;

  @Option(names = "--adapter", paramLabel = "DIR", required = true,
      description = "The adapter directory (adapter_config.json, adapter_model.safetensors).")
  Path adapter;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "The merged model directory to write (replaced when it exists).")
  Path dir;

  @Mixin
  HelpFlag help;

  MergeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (!LoraAdapter.isAdapterDirectory(adapter)) {
      throw new InvalidInputException(adapter + " is not an adapter directory (no "
          + LoraAdapter.CONFIG_FILE + ", or it holds a full model)");
    }
    Checkpoint merged = new DjlAdapterMerger(Device.cpu()).merge(Checkpoint.of(adapter), dir);
    out.println("merged " + adapter + " onto " + LoraAdapter.baseDirectory(adapter) + ": "
        + merged.directory());
    return 0;
  }
}
