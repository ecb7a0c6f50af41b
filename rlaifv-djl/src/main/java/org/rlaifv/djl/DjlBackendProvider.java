package org.rlaifv.djl;

import java.util.EnumSet;
import java.util.Set;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoTrainer;
import org.rlaifv.PolarJudge;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.train.DjlDpoTrainer;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Capability;

/**
 * The {@code djl} backend: DJL with the PyTorch engine, on the CPU or a CUDA device.
 *
 * <p>Declares SAMPLING, JUDGING, KV_CACHE, TRAINING, EXPORT_ONNX and TEXT_GENERATION, plus CUDA
 * when the engine sees a GPU. The
 * device comes from {@link BackendOptions#device()}: {@code cpu}, {@code cuda}, {@code cuda:N} or
 * {@code auto}; a requested GPU that is absent is a {@link org.rlaifv.BackendException}. A positive
 * {@link BackendOptions#threads()} sets PyTorch's intra-op thread count, which is process-wide. Roles it
 * creates own the model they open and free it when closed.
 */
public class DjlBackendProvider implements BackendProvider {
  static {
    org.rlaifv.djl.Devices.quietGpuProbe();
  }


  /** The backend name. */
  public static final String NAME = "djl";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public DjlBackendProvider() {}

  /**
   * Returns {@code "djl"}.
   *
   * @return the name
   */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns rank 10, above inference-only backends.
   *
   * @return the rank
   */
  @Override
  public int rank() {
    return 10;
  }

  /**
   * Returns SAMPLING, JUDGING, KV_CACHE, TRAINING, EXPORT_ONNX, TEXT_GENERATION, and CUDA when a
   * GPU is visible.
   *
   * @return the capabilities
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> caps =
        EnumSet.of(
            Capability.SAMPLING,
            Capability.JUDGING,
            Capability.KV_CACHE,
            Capability.TRAINING,
            Capability.EXPORT_ONNX,
            Capability.TEXT_GENERATION);
    if (Devices.gpuCount() > 0) {
      caps.add(Capability.CUDA);
    }
    return caps;
  }

  /**
   * Opens a shared-prefill sampler on the policy's model directory.
   *
   * @param policy the model directory
   * @param options device and batch size
   * @return a sampler that owns the loaded model
   * @throws org.rlaifv.ModelFormatException when the directory cannot be loaded
   * @throws org.rlaifv.BackendException when the device is absent
   */
  @Override
  public ResponseSampler newSampler(Checkpoint policy, BackendOptions options) {
    Devices.applyThreads(options.threads());
    LoadedVlm vlm = LoadedVlm.load(policy.directory(), Devices.resolve(options.device()));
    return new DjlResponseSampler(vlm, options, true);
  }

  /**
   * Opens a prefix-cached polar judge on the labeler's model directory.
   *
   * @param labeler the model directory
   * @param options device, batch size and abstention threshold
   * @return a judge that owns the loaded model
   * @throws org.rlaifv.ModelFormatException when the directory cannot be loaded
   * @throws org.rlaifv.BackendException when the device is absent
   */
  @Override
  public PolarJudge newJudge(Checkpoint labeler, BackendOptions options) {
    Devices.applyThreads(options.threads());
    LoadedVlm vlm = LoadedVlm.load(labeler.directory(), Devices.resolve(options.device()));
    try {
      return new DjlPolarJudge(vlm, options, true);
    } catch (RuntimeException e) {
      vlm.close();
      throw e;
    }
  }

  /**
   * Opens a {@link DjlTextGenerator} on a causal LM directory ({@code LlamaForCausalLM}, {@code
   * MistralForCausalLM} or {@code Qwen2ForCausalLM}, as saved by transformers).
   *
   * @param model the model directory
   * @param options device, thread count and batch size
   * @param decoding temperature (0 = greedy), top-k, top-p, token limit, base seed and stop
   *     strings; {@code n} must be 1
   * @return a generator that owns the loaded model
   * @throws org.rlaifv.ModelFormatException when the directory cannot be loaded
   * @throws org.rlaifv.BackendException when the device is absent
   * @throws org.rlaifv.InvalidInputException when {@code decoding.n()} is not 1
   */
  @Override
  public TextGenerator newTextGenerator(
      Checkpoint model, BackendOptions options, SamplingParams decoding) {
    // refuse before the model is loaded
    org.rlaifv.core.internal.TextGeneration.checkDecoding(decoding);
    Devices.applyThreads(options.threads());
    LoadedCausalLm lm = LoadedCausalLm.load(model.directory(), Devices.resolve(options.device()));
    return new DjlTextGenerator(lm, decoding, options, true);
  }

  /**
   * Creates a DPO trainer running on the options' device.
   *
   * @param options device, thread count and reference batch size
   * @return a new trainer; it loads and frees models per {@code train} call, so it needs no close
   * @throws org.rlaifv.BackendException when the device is absent
   */
  @Override
  public DpoTrainer newDpoTrainer(BackendOptions options) {
    return new DjlDpoTrainer(options);
  }
}
