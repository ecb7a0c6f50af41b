package org.rlaifv.examples.shapes;

import java.util.List;
import org.rlaifv.PolarJudge;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;

/**
 * A scorer that owns its judge: the loop closes the scorer after the score stage (scorers are
 * {@link AutoCloseable}), and this closes the judge's model with it.
 *
 * @param delegate the scorer
 * @param judge the judge the delegate uses, closed by {@link #close()}
 */
public record ClosingScorer(ResponseScorer delegate, PolarJudge judge) implements ResponseScorer {

  @Override
  public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
    return delegate.scoreAll(prompt, responses);
  }

  @Override
  public Provenance provenance() {
    return delegate.provenance();
  }

  @Override
  public void close() {
    try (PolarJudge j = judge) {
      delegate.close();
    }
  }
}
