package org.rlaifv.examples.shapes;

import java.util.List;
import org.rlaifv.Candidates;
import org.rlaifv.PairSelector;
import org.rlaifv.PreferencePair;

/**
 * Keeps at most a fixed number of the pairs another selector returns (the first ones, so the
 * result is as deterministic as the delegate): gives a baseline exactly as many pairs as the run
 * it is compared with.
 *
 * @param delegate the selector whose pairs are kept
 * @param maxPairs the most pairs returned
 */
public record LimitedPairSelector(PairSelector delegate, int maxPairs) implements PairSelector {

  @Override
  public List<PreferencePair> select(List<Candidates> groups) {
    List<PreferencePair> all = delegate.select(groups);
    return all.size() <= maxPairs ? all : List.copyOf(all.subList(0, maxPairs));
  }
}
