package org.rlaifv.core.loop;

import java.nio.file.Path;
import org.rlaifv.Checkpoint;

/**
 * Turns a selected checkpoint that holds adapters (for example a PEFT LoRA adapter directory) into
 * a full model checkpoint, so the next iteration of an {@link AlignmentLoop} starts from the merged
 * policy: it samples from it, trains new adapters on it, and uses it as its DPO reference.
 *
 * <pre>{@code
 * AlignmentLoop.builder()...adapterMerger(new DjlAdapterMerger(options)).build();
 * }</pre>
 *
 * <p>Implementations return a checkpoint that is already a full model unchanged.
 */
@FunctionalInterface
public interface AdapterMerger {
  /**
   * Writes the full model of a checkpoint.
   *
   * @param checkpoint the selected checkpoint (adapters, or a full model)
   * @param outputDirectory where to write the merged model when there is something to merge; an
   *     existing directory of that name is replaced
   * @return the merged checkpoint, or {@code checkpoint} itself when it is a full model already
   */
  Checkpoint merge(Checkpoint checkpoint, Path outputDirectory);
}
