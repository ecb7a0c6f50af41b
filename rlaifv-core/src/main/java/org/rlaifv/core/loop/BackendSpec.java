package org.rlaifv.core.loop;

import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.ResponseSampler;
import org.rlaifv.TextGenerator;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;

/**
 * A backend named and configured by value: what any JVM with the backend on its class path needs
 * to open the same model-backed roles ({@link Backends#get(String)} plus the {@link
 * BackendOptions}). Unlike a factory function, a spec can be written as JSON and shipped to the
 * executors of a cluster, which is why the loop accepts one ({@link
 * AlignmentLoop.Builder#sampler(BackendSpec)}) and hands it to its {@link StageRunner} through
 * {@link PromptStage#spec()}.
 *
 * <pre>{@code
 * BackendSpec djl = new BackendSpec("djl", BackendOptions.defaults());
 * try (ResponseSampler s = djl.newSampler(Checkpoint.of(Path.of("models/sft")))) { ... }
 * }</pre>
 *
 * @param backend the backend's name, as {@link BackendProvider#name()} ({@code "djl"}, {@code
 *     "onnx"})
 * @param options the options every role is opened with
 */
public record BackendSpec(String backend, BackendOptions options) {

  /** Validates the fields. */
  public BackendSpec {
    if (backend == null || backend.isBlank()) {
      throw new InvalidInputException("a backend spec needs a backend name, got '" + backend + "'");
    }
    Objects.requireNonNull(options, "backend options");
  }

  /**
   * Returns the named backend of this JVM's class path.
   *
   * @return the provider
   * @throws org.rlaifv.BackendException listing the registered backends when none has the name
   */
  public BackendProvider provider() {
    return Backends.get(backend);
  }

  /**
   * Opens a sampler over a checkpoint.
   *
   * @param policy the model to sample from
   * @return a new sampler, closed by the caller
   */
  public ResponseSampler newSampler(Checkpoint policy) {
    return provider().newSampler(policy, options);
  }

  /**
   * Opens a polar judge over a checkpoint.
   *
   * @param labeler the labeler model
   * @return a new judge, closed by the caller
   */
  public PolarJudge newJudge(Checkpoint labeler) {
    return provider().newJudge(labeler, options);
  }

  /**
   * Opens a greedy text generator over a checkpoint.
   *
   * @param model a causal language model
   * @return a new generator, closed by the caller
   */
  public TextGenerator newTextGenerator(Checkpoint model) {
    return provider().newTextGenerator(model, options);
  }
}
