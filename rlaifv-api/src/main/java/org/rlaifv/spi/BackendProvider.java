package org.rlaifv.spi;

import java.util.Set;
import org.rlaifv.Checkpoint;
import org.rlaifv.DpoTrainer;
import org.rlaifv.PolarJudge;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.UnsupportedCapabilityException;

/**
 * A backend (an ML engine) that creates the SDK's model-backed roles. Registered through {@code
 * META-INF/services/org.rlaifv.spi.BackendProvider} and found with {@link Backends}.
 *
 * <p>Factories return new objects that the caller owns and closes. A factory for a capability the
 * backend lacks throws {@link UnsupportedCapabilityException} at once.
 */
public interface BackendProvider {

  /**
   * Returns the backend's name, as used for selection ({@code "djl"}, {@code "onnx"}).
   *
   * @return the name
   */
  String name();

  /**
   * Returns the rank used to order listings (higher first).
   *
   * @return the rank
   */
  default int rank() {
    return 0;
  }

  /**
   * Returns what this backend can do on this machine.
   *
   * @return the capabilities
   */
  Set<Capability> capabilities();

  /**
   * Returns whether the backend declares a capability.
   *
   * @param capability the capability
   * @return true when declared
   */
  default boolean hasCapability(Capability capability) {
    return capabilities().contains(capability);
  }

  /**
   * Opens a sampler over a checkpoint.
   *
   * @param policy the model to sample from
   * @param options device and threading
   * @return a new sampler, closed by the caller
   */
  default ResponseSampler newSampler(Checkpoint policy, BackendOptions options) {
    throw unsupported(Capability.SAMPLING);
  }

  /**
   * Opens a polar judge over a labeler checkpoint.
   *
   * @param labeler the labeler model
   * @param options device, threading and abstention threshold
   * @return a new judge, closed by the caller
   */
  default PolarJudge newJudge(Checkpoint labeler, BackendOptions options) {
    throw unsupported(Capability.JUDGING);
  }

  /**
   * Opens a text generator over a causal language model checkpoint (a Hugging Face {@code
   * LlamaForCausalLM}, {@code MistralForCausalLM} or {@code Qwen2ForCausalLM} directory, for
   * example), decoding greedily with at most {@link TextGenerator#DEFAULT_MAX_NEW_TOKENS} new
   * tokens per prompt.
   *
   * @param model the model directory
   * @param options device, threading and batch size
   * @return a new generator, closed by the caller
   */
  default TextGenerator newTextGenerator(Checkpoint model, BackendOptions options) {
    return newTextGenerator(model, options, TextGenerator.greedy(TextGenerator.DEFAULT_MAX_NEW_TOKENS));
  }

  /**
   * Opens a text generator over a causal language model checkpoint with explicit decoding
   * settings: greedy at temperature 0, else seeded sampling (see {@link TextGenerator}); {@code
   * decoding.n()} must be 1.
   *
   * @param model the model directory
   * @param options device, threading and batch size
   * @param decoding temperature, top-k, top-p, token limit, base seed and stop strings
   * @return a new generator, closed by the caller
   */
  default TextGenerator newTextGenerator(
      Checkpoint model, BackendOptions options, SamplingParams decoding) {
    throw unsupported(Capability.TEXT_GENERATION);
  }

  /**
   * Creates a DPO trainer.
   *
   * @param options device and threading
   * @return a new trainer
   */
  default DpoTrainer newDpoTrainer(BackendOptions options) {
    throw unsupported(Capability.TRAINING);
  }

  /**
   * Builds the exception for a capability this backend lacks.
   *
   * @param capability the missing capability
   * @return the exception, naming this backend and the alternatives on the class path
   */
  default UnsupportedCapabilityException unsupported(Capability capability) {
    StringBuilder others = new StringBuilder();
    for (BackendProvider p : Backends.all()) {
      if (!p.name().equals(name()) && p.hasCapability(capability)) {
        others.append(others.length() == 0 ? "" : ", ").append(p.name());
      }
    }
    return new UnsupportedCapabilityException(
        "backend '"
            + name()
            + "' does not support "
            + capability
            + (others.length() == 0
                ? "; no backend on the class path does"
                : "; use " + others));
  }
}
