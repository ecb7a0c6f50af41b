package org.rlaifv;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws candidate responses from a policy.
 *
 * <p>Implementations return {@code params.n()} responses per prompt, response {@code i} sampled
 * with seed {@code params.seedFor(i)}, in index order. Backends holding native memory release it in
 * {@link #close()}; the code that created the sampler closes it.
 */
@FunctionalInterface
public interface ResponseSampler extends AutoCloseable {

  /**
   * Samples {@code params.n()} responses to one prompt.
   *
   * @param prompt the prompt
   * @param params decoding parameters
   * @return the responses, in index order
   */
  List<Response> sample(Prompt prompt, SamplingParams params);

  /**
   * Samples every prompt; backends may override to batch prompts together.
   *
   * @param prompts the prompts
   * @param params decoding parameters
   * @return one list of responses per prompt, in prompt order
   */
  default List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
    List<List<Response>> out = new ArrayList<>(prompts.size());
    for (Prompt p : prompts) {
      out.add(sample(p, params));
    }
    return out;
  }

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the sampler's class name; samplers backed by
   *     a model override it to name the checkpoint
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
