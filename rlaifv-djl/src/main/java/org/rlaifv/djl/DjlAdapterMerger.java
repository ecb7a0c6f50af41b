package org.rlaifv.djl;

import ai.djl.Device;
import java.nio.file.Path;
import org.rlaifv.Checkpoint;
import org.rlaifv.core.io.AtomicFiles;
import org.rlaifv.core.loop.AdapterMerger;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.LoraAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges a PEFT LoRA adapter directory into its base: writes a full Hugging Face model directory
 * whose weights are {@code W + s B A} for every adapted layer (the base's tokenizer and processor
 * files copied), the form the ONNX exporter and every other loader take. A checkpoint that is
 * already a full model is returned unchanged.
 *
 * <pre>{@code
 * Checkpoint merged = new DjlAdapterMerger(Device.cpu()).merge(Checkpoint.of(adapterDir), outDir);
 * }</pre>
 *
 * <p>Stateless and thread-safe; each call loads the base model once.
 */
public final class DjlAdapterMerger implements AdapterMerger {
  private static final Logger LOG = LoggerFactory.getLogger(DjlAdapterMerger.class);

  private final Device device;

  /**
   * Creates a merger that computes on a device.
   *
   * @param device where the base model is loaded
   */
  public DjlAdapterMerger(Device device) {
    this.device = device;
  }

  /**
   * Writes base + adapter as a full model directory, atomically.
   *
   * @param checkpoint an adapter directory (its base found through {@code
   *     base_model_name_or_path}), or a full model
   * @param outputDirectory the merged model's directory, replaced when it exists
   * @return the merged checkpoint (id: the adapter's id + {@code -merged}), or {@code checkpoint}
   *     when it holds no adapter
   * @throws org.rlaifv.ModelFormatException naming the file and tensor when the adapter does not
   *     fit its base
   */
  @Override
  public Checkpoint merge(Checkpoint checkpoint, Path outputDirectory) {
    if (!LoraAdapter.isAdapterDirectory(checkpoint.directory())) {
      return checkpoint;
    }
    long t0 = System.nanoTime();
    Path parent = outputDirectory.toAbsolutePath().normalize().getParent();
    Path dir;
    try (LoadedVlm merged = LoadedVlm.load(checkpoint.directory(), device)) {
      dir = AtomicFiles.writeDirectory(parent, outputDirectory.getFileName().toString(),
          merged::save);
    }
    LOG.info("merged adapter {} into {} in {} ms", checkpoint.directory(), dir,
        (System.nanoTime() - t0) / 1_000_000);
    return new Checkpoint(checkpoint.id() + "-merged", dir);
  }
}
