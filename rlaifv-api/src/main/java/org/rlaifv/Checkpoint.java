package org.rlaifv;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model on disk: a directory in the Hugging Face layout ({@code config.json}, {@code
 * model.safetensors}, {@code tokenizer.json}, ...), with an id recorded in provenance.
 *
 * <p>Backends open checkpoints ({@link org.rlaifv.spi.BackendProvider#newSampler}); trainers write
 * new ones. A checkpoint is a value: it owns no native memory.
 *
 * @param id identifier recorded in run manifests and pair provenance
 * @param directory the model directory
 */
public record Checkpoint(String id, Path directory) {
  /** Validates the fields. */
  public Checkpoint {
    Checks.nonBlank(id, "checkpoint id");
    Objects.requireNonNull(directory, "checkpoint directory");
  }

  /**
   * Creates a checkpoint whose id is the directory's file name.
   *
   * @param directory the model directory
   * @return the checkpoint
   */
  public static Checkpoint of(Path directory) {
    Path name = directory.toAbsolutePath().normalize().getFileName();
    return new Checkpoint(name == null ? directory.toString() : name.toString(), directory);
  }
}
