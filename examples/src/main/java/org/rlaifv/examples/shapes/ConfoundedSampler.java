package org.rlaifv.examples.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;

/**
 * The confounded alternative to RLAIF-V's sampling, for the ablation: of the n candidates of a
 * prompt, the first half is drawn at a low and the second half at a high temperature, so that
 * candidates differ in style as well as in content. The same number of candidates, with the same
 * indices and seeds, as the method's single setting.
 *
 * <p>Owns and closes its delegate.
 */
public final class ConfoundedSampler implements ResponseSampler {

  private final ResponseSampler delegate;
  private final double low;
  private final double high;

  /**
   * Creates the sampler.
   *
   * @param delegate the sampler of the current policy (closed with this one)
   * @param low temperature of the first half
   * @param high temperature of the second half
   */
  public ConfoundedSampler(ResponseSampler delegate, double low, double high) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.low = low;
    this.high = high;
  }

  @Override
  public List<Response> sample(Prompt prompt, SamplingParams params) {
    return sampleAll(List.of(prompt), params).get(0);
  }

  @Override
  public List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
    // Both halves keep the seeds the method's sample i would have (the loop checks them), so each
    // temperature draws all n and keeps its half: twice the sampling work of the method.
    int half = params.n() / 2;
    List<List<Response>> first = delegate.sampleAll(prompts, params.toBuilder().temperature(low)
        .build());
    List<List<Response>> second = delegate.sampleAll(prompts, params.toBuilder()
        .temperature(high).build());
    List<List<Response>> out = new ArrayList<>(prompts.size());
    for (int p = 0; p < prompts.size(); p++) {
      List<Response> rs = new ArrayList<>(first.get(p).subList(0, half));
      rs.addAll(second.get(p).subList(half, params.n()));
      out.add(List.copyOf(rs));
    }
    return out;
  }

  @Override
  public Provenance provenance() {
    return Provenance.of(this).with("low", low).with("high", high)
        .with("delegate", delegate.provenance().toString());
  }

  @Override
  public void close() {
    delegate.close();
  }
}
