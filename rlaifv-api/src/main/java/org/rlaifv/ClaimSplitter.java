package org.rlaifv;

import java.util.List;

/**
 * Divides a response into atomic, self-contained factual claims, leaving out opinions and
 * subjective statements.
 *
 * <p>A response that yields no claims gets an empty list (and then no score); implementations do
 * not throw on text they cannot parse.
 */
@FunctionalInterface
public interface ClaimSplitter {

  /**
   * Splits one response text into claims.
   *
   * @param responseText the response
   * @return the claims, possibly empty
   */
  List<Claim> split(String responseText);

  /**
   * Splits several responses; implementations backed by a model may override to batch.
   *
   * @param responseTexts the responses
   * @return one claim list per response, in order
   */
  default List<List<Claim>> splitAll(List<String> responseTexts) {
    return responseTexts.stream().map(this::split).toList();
  }

  /**
   * Describes this role for a run's identity and the checkpoints it produces (see {@link
   * Provenance}): a run resumed with a role whose provenance differs is refused.
   *
   * @return by default {@link Provenance#of(Object)}: the splitter's class name; model-backed
   *     splitters override it to name their generator and prompt
   */
  default Provenance provenance() {
    return Provenance.of(this);
  }
}
