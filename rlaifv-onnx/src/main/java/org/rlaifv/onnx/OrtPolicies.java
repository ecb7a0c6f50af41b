package org.rlaifv.onnx;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.ResponseSampler;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sampler factories for an alignment loop that samples with ONNX Runtime and trains with DJL: each
 * iteration's policy checkpoint (a DJL model directory) is exported to ONNX, then sampled from.
 *
 * <pre>{@code
 * AlignmentLoop loop = AlignmentLoop.builder()
 *     .sampler(OrtPolicies.reexportingSampler(OnnxExporter::exportForSampling, runDir.resolve("onnx"), options))
 *     .trainer(djlTrainer)
 *     ...
 *     .build();
 * }</pre>
 *
 * <p>The exporter is passed in (usually {@code org.rlaifv.djl.export.OnnxExporter::exportForSampling}) so that
 * this module does not depend on the DJL backend.
 */
public final class OrtPolicies {
  private static final Logger LOG = LoggerFactory.getLogger(OrtPolicies.class);

  private OrtPolicies() {}

  /** Writes the ONNX export of a model directory. */
  @FunctionalInterface
  public interface Exporter {
    /**
     * Exports a model directory.
     *
     * @param modelDir the source model directory
     * @param outDir the destination directory, created when absent
     */
    void export(Path modelDir, Path outDir);
  }

  /**
   * Returns a factory that exports each policy checkpoint to {@code exportRoot/<checkpoint id>}
   * (replacing an earlier export there) and opens an {@link OrtResponseSampler} on it.
   *
   * @param exporter writes an export, e.g. {@code OnnxExporter::exportForSampling}
   * @param exportRoot directory under which exports are written
   * @param options device, threads, batch size and {@code onnx.*} properties of the samplers
   * @return the factory; each sampler it returns is closed by its caller
   */
  public static Function<Checkpoint, ResponseSampler> reexportingSampler(
      Exporter exporter, Path exportRoot, BackendOptions options) {
    Objects.requireNonNull(exporter, "exporter");
    Objects.requireNonNull(exportRoot, "exportRoot");
    Objects.requireNonNull(options, "options");
    return policy -> {
      Path out = exportRoot.resolve(policy.id());
      LOG.info("exporting policy {} to ONNX in {}", policy.id(), out);
      exporter.export(policy.directory(), out);
      return OrtResponseSampler.open(new Checkpoint(policy.id(), out), options);
    };
  }
}
