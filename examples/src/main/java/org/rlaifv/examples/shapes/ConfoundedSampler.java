package org.rlaifv.examples.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;

/**
 * The confounded alternative to RLAIF-V's sampling, for the ablation: of the n candidates of a
 * prompt, the first half is drawn at a low and the second half at a high temperature, so that
 * candidates differ in style as well as in content. The same number of candidates as the method's
 * single setting; indices run 0..n-1.
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
    int half = params.n() / 2;
    SamplingParams a = params.toBuilder().n(half).temperature(low).build();
    SamplingParams b = params.toBuilder().n(params.n() - half).temperature(high)
        .baseSeed(Seeds.mix(params.baseSeed(), 0xC0F0L)).build();
    List<List<Response>> first = delegate.sampleAll(prompts, a);
    List<List<Response>> second = delegate.sampleAll(prompts, b);
    List<List<Response>> out = new ArrayList<>(prompts.size());
    for (int p = 0; p < prompts.size(); p++) {
      List<Response> rs = new ArrayList<>(first.get(p));
      for (Response r : second.get(p)) {
        rs.add(new Response(r.promptId(), half + r.index(), r.text(), r.seed(), r.tokenCount()));
      }
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
