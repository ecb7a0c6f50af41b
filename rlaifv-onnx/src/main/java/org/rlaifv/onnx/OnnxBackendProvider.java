package org.rlaifv.onnx;

import java.util.EnumSet;
import java.util.Set;
import org.rlaifv.Checkpoint;
import org.rlaifv.PolarJudge;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Capability;

/**
 * The {@code onnx} backend: sampling, polar judging and text generation with ONNX Runtime over a
 * model directory exported in the Optimum layout by {@code OnnxExporter} (see {@link OrtModel}):
 * any LLaVA family or text-only causal LM the {@code djl} backend opens. It cannot train: {@link #newDpoTrainer}
 * fails at once and names the backends that can (use {@code djl}).
 *
 * <p>Registered in {@code META-INF/services/org.rlaifv.spi.BackendProvider}; select it with
 * {@code Backends.get("onnx")} or {@code -Drlaifv.backend=onnx}.
 *
 * <pre>{@code
 * BackendProvider onnx = Backends.get("onnx");
 * try (PolarJudge judge = onnx.newJudge(Checkpoint.of(exportDir), BackendOptions.defaults())) {
 *   List<ClaimVerdict> verdicts = judge.judge(image, questions);
 * }
 * }</pre>
 */
public final class OnnxBackendProvider implements BackendProvider {
  /** The backend's name. */
  public static final String NAME = "onnx";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public OnnxBackendProvider() {}

  /**
   * Returns {@code "onnx"}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns SAMPLING, JUDGING, TEXT_GENERATION and KV_CACHE, plus CUDA when the ONNX Runtime on the class path has
   * the CUDA execution provider and a GPU is visible; never TRAINING.
   *
   * @return the capabilities
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> caps =
        EnumSet.of(
            Capability.SAMPLING, Capability.JUDGING, Capability.TEXT_GENERATION, Capability.KV_CACHE);
    if (OrtOptions.cudaUsable()) {
      caps.add(Capability.CUDA);
    }
    return caps;
  }

  /**
   * Opens an ONNX Runtime sampler over an exported policy.
   *
   * @param policy the exported model directory
   * @param options device, threads and {@code onnx.*} properties
   * @return a new sampler, closed by the caller
   */
  @Override
  public ResponseSampler newSampler(Checkpoint policy, BackendOptions options) {
    return OrtResponseSampler.open(policy, options);
  }

  /**
   * Opens an ONNX Runtime polar judge over an exported labeler.
   *
   * @param labeler the exported model directory
   * @param options device, threads, batch size, abstention threshold and {@code onnx.*} properties
   * @return a new judge, closed by the caller
   */
  @Override
  public PolarJudge newJudge(Checkpoint labeler, BackendOptions options) {
    return OrtPolarJudge.open(labeler, options);
  }

  /**
   * Opens an ONNX Runtime text generator over an exported causal LM (see {@link
   * OrtTextGenerator}).
   *
   * @param model the exported causal LM directory
   * @param options device, threads, batch size and {@code onnx.*} properties
   * @param decoding temperature, top-k, top-p, token limit, base seed and stop strings; {@code n}
   *     must be 1
   * @return a new generator, closed by the caller
   */
  @Override
  public TextGenerator newTextGenerator(
      Checkpoint model, BackendOptions options, SamplingParams decoding) {
    return OrtTextGenerator.open(model, options, decoding);
  }
}
