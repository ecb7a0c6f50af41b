package org.rlaifv.examples.shapes;

import java.util.List;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseScorer;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

/**
 * A scorer that closes a resource (its judge's model) when the loop closes it after the score
 * stage.
 *
 * @param delegate the scorer
 * @param resource closed by {@link #close()}
 */
public record ClosingScorer(ResponseScorer delegate, AutoCloseable resource)
    implements ResponseScorer, AutoCloseable {

  @Override
  public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
    return delegate.scoreAll(prompt, responses);
  }

  @Override
  public void close() throws Exception {
    resource.close();
  }
}
