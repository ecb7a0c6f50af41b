package org.rlaifv.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.rlaifv.Candidates;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PairSelector;
import org.rlaifv.PreferencePair;
import org.rlaifv.Provenance;
import org.rlaifv.ScoredResponse;
import org.rlaifv.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RLAIF-V's pair rule: within each prompt, pairs of scored responses whose scores differ by at
 * least 1, at most {@code maxPairsPerPrompt} of them drawn at random, then optional length
 * balancing over all drawn pairs. Scores are {@link ScoredResponse#value()}: -n_rej for claim
 * verdicts, or a holistic verdict's score, for which {@link Builder#minScoreGap(double)} sets the
 * smallest gap that pairs (1 by default, RLAIF-V's rule for integer -n_rej).
 *
 * <p>Per prompt:
 *
 * <ol>
 *   <li>Unscored responses ({@link ScoredResponse#scored()} false) are left out.
 *   <li>Responses whose text equals (after stripping surrounding white space) that of an earlier
 *       candidate of the same prompt are left out, so identical texts never pair and duplicates do
 *       not weigh more in the draw.
 *   <li>Every unordered pair whose scores differ, by at least {@code minScoreGap}, is a candidate;
 *       the higher score is chosen. Equal scores never pair, whatever the gap. With -n_rej scores
 *       (integers) and the default gap of 1, this is "different scores".
 *   <li>When there are more candidates than {@code maxPairsPerPrompt}, that many are drawn
 *       without replacement with a {@link Random} seeded by {@code Seeds.mix(seed, promptId)}, so
 *       a prompt's draw depends neither on the order of prompts nor on the other prompts. Drawn
 *       pairs keep their enumeration order (by chosen index, then rejected index).
 * </ol>
 *
 * <p>Length balancing (off by default) then works on all drawn pairs together, as the reference
 * does; see {@link #balanceLengths(List)} for the exact rule. The output is grouped by prompt in
 * input order. The result depends only on the input and the settings.
 *
 * <pre>{@code
 * PairSelector selector = RlaifvPairSelector.builder().seed(7).lengthBalancing(true).build();
 * List<PreferencePair> pairs = selector.select(groups);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RlaifvPairSelector implements PairSelector {
  private static final Logger LOG = LoggerFactory.getLogger(RlaifvPairSelector.class);

  /** Number of cut-off steps: r runs over k / STEPS for k = 0..STEPS. */
  private static final int STEPS = 50;

  private final int maxPairsPerPrompt;
  private final long seed;
  private final boolean lengthBalancing;
  private final double minScoreGap;

  private RlaifvPairSelector(Builder b) {
    if (b.maxPairsPerPrompt < 1) {
      throw new InvalidInputException(
          "maxPairsPerPrompt must be at least 1, got " + b.maxPairsPerPrompt);
    }
    if (!(b.minScoreGap >= 0 && Double.isFinite(b.minScoreGap))) {
      throw new InvalidInputException(
          "minScoreGap must be finite and at least 0, got " + b.minScoreGap);
    }
    this.minScoreGap = b.minScoreGap;
    this.maxPairsPerPrompt = b.maxPairsPerPrompt;
    this.seed = b.seed;
    this.lengthBalancing = b.lengthBalancing;
  }

  /**
   * Starts a builder with the reference defaults: 2 pairs per prompt, seed 0, no length balancing.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this selector's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .maxPairsPerPrompt(maxPairsPerPrompt)
        .seed(seed)
        .lengthBalancing(lengthBalancing)
        .minScoreGap(minScoreGap);
  }

  /**
   * Returns the most pairs drawn per prompt.
   *
   * @return at least 1
   */
  public int maxPairsPerPrompt() {
    return maxPairsPerPrompt;
  }

  /**
   * Returns the seed of the per-prompt draws.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns whether length balancing is applied.
   *
   * @return true when on
   */
  public boolean lengthBalancing() {
    return lengthBalancing;
  }

  /**
   * Returns the smallest score gap that pairs two responses.
   *
   * @return at least 0; equal scores never pair
   */
  public double minScoreGap() {
    return minScoreGap;
  }

  /**
   * Selects pairs from all prompts' candidates.
   *
   * @param groups one group per prompt
   * @return the pairs, grouped by prompt in input order
   */
  @Override
  public List<PreferencePair> select(List<Candidates> groups) {
    return selectDetailed(groups).pairs();
  }

  /**
   * Selects pairs and reports how many candidates, draws and balancing left.
   *
   * @param groups one group per prompt
   * @return the pairs and the figures of each stage
   */
  public Selection selectDetailed(List<Candidates> groups) {
    Objects.requireNonNull(groups, "groups");
    List<PreferencePair> drawn = new ArrayList<>();
    int candidatePairs = 0;
    for (Candidates group : groups) {
      List<PreferencePair> all = candidatePairs(group, minScoreGap);
      candidatePairs += all.size();
      drawn.addAll(draw(group.prompt().id(), all));
    }
    if (!lengthBalancing) {
      double gap = relativeLengthGap(drawn);
      return new Selection(drawn, candidatePairs, drawn.size(), Double.NaN, gap, gap);
    }
    Balance balance = balanceLengths(drawn);
    LOG.debug(
        "length balancing: cut-off {} kept {} of {} pairs, relative length gap {} -> {}",
        balance.cutoff(), balance.pairs().size(), drawn.size(),
        balance.gapBefore(), balance.gapAfter());
    return new Selection(
        balance.pairs(), candidatePairs, drawn.size(), balance.cutoff(),
        balance.gapBefore(), balance.gapAfter());
  }

  /**
   * Lists every admissible pair of one prompt, before drawing: both scored, texts different after
   * stripping, scores different (the higher one chosen), in order of the first then the second
   * response's position among the kept candidates.
   *
   * @param group the prompt's candidates
   * @return the candidate pairs
   */
  public static List<PreferencePair> candidatePairs(Candidates group) {
    return candidatePairs(group, 1.0);
  }

  /**
   * Lists every admissible pair of one prompt as {@link #candidatePairs(Candidates)} does, with
   * scores ({@link ScoredResponse#value()}) that differ by at least {@code minScoreGap}.
   *
   * @param group the prompt's candidates
   * @param minScoreGap the smallest gap that pairs; equal scores never pair
   * @return the candidate pairs
   */
  public static List<PreferencePair> candidatePairs(Candidates group, double minScoreGap) {
    List<ScoredResponse> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ScoredResponse r : group.responses()) {
      if (r.scored() && seen.add(r.response().text().strip())) {
        kept.add(r);
      }
    }
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      for (int j = i + 1; j < kept.size(); j++) {
        ScoredResponse a = kept.get(i);
        ScoredResponse b = kept.get(j);
        double sa = a.value();
        double sb = b.value();
        if (sa == sb || Math.abs(sa - sb) < minScoreGap) {
          continue;
        }
        if (sa > sb) {
          pairs.add(new PreferencePair(group.prompt(), a, b));
        } else {
          pairs.add(new PreferencePair(group.prompt(), b, a));
        }
      }
    }
    return pairs;
  }

  private List<PreferencePair> draw(String promptId, List<PreferencePair> all) {
    if (all.size() <= maxPairsPerPrompt) {
      return all;
    }
    Random rng = new Random(Seeds.mix(seed, promptId));
    int[] idx = new int[all.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    // Partial Fisher-Yates: the first maxPairsPerPrompt slots hold a uniform draw.
    for (int i = 0; i < maxPairsPerPrompt; i++) {
      int j = i + rng.nextInt(idx.length - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] chosen = Arrays.copyOf(idx, maxPairsPerPrompt);
    Arrays.sort(chosen);
    List<PreferencePair> out = new ArrayList<>(chosen.length);
    for (int i : chosen) {
      out.add(all.get(i));
    }
    return out;
  }

  /**
   * Applies RLAIF-V's length balancing to a set of pairs.
   *
   * <p>For a pair with chosen length c and rejected length l (in {@linkplain
   * org.rlaifv.Response#wordCount() words}), let d = (l - c) / l: how much shorter the chosen
   * response is, relative to the rejected one (d is taken as minus infinity when l = 0, so such a
   * pair is never dropped). For a cut-off r, the pairs with d &gt; r are dropped. The relative gap
   * of a set of pairs is |mean c - mean l| / mean l (0 when both means are 0, infinity when only
   * mean l is). The rule:
   *
   * <ol>
   *   <li>r runs over the reference's grid {0, 0.02, ..., 0.98} plus 1.0; d never exceeds 1, so r =
   *       1.0 drops nothing and balancing can never end with a larger gap than no balancing (the
   *       reference leaves 1.0 out, which only matters when dropping the most lopsided pairs would
   *       widen the gap);
   *   <li>cut-offs that would drop every pair are not eligible;
   *   <li>the eligible r with the smallest relative gap is taken; on a tie (compared exactly, as
   *       fractions of word sums) the largest r wins, so the most pairs are kept (the reference
   *       takes the first minimum instead);
   *   <li>when no pairs are given, nothing changes and the cut-off is 1.0.
   * </ol>
   *
   * <p>Kept pairs stay in input order.
   *
   * @param pairs the pairs to balance
   * @return the kept pairs, the cut-off and the gap before and after
   */
  public static Balance balanceLengths(List<PreferencePair> pairs) {
    int n = pairs.size();
    long[] chosen = new long[n];
    long[] rejected = new long[n];
    long totalChosen = 0;
    long totalRejected = 0;
    for (int i = 0; i < n; i++) {
      chosen[i] = pairs.get(i).chosen().response().wordCount();
      rejected[i] = pairs.get(i).rejected().response().wordCount();
      totalChosen += chosen[i];
      totalRejected += rejected[i];
    }
    double before = gap(totalChosen, totalRejected);
    if (n == 0) {
      return new Balance(List.of(), 1.0, before, before);
    }
    int bestK = -1;
    long bestC = 0;
    long bestL = 0;
    for (int k = 0; k <= STEPS; k++) {
      long sc = 0;
      long sl = 0;
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (keeps(chosen[i], rejected[i], k)) {
          sc += chosen[i];
          sl += rejected[i];
          kept++;
        }
      }
      if (kept == 0) {
        continue;
      }
      // "<=" so that a later (larger) r wins ties.
      if (bestK < 0 || compareGap(sc, sl, bestC, bestL) <= 0) {
        bestK = k;
        bestC = sc;
        bestL = sl;
      }
    }
    // r = 1.0 keeps every pair, so bestK is always set when n > 0.
    List<PreferencePair> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (keeps(chosen[i], rejected[i], bestK)) {
        kept.add(pairs.get(i));
      }
    }
    return new Balance(kept, bestK / (double) STEPS, before, gap(bestC, bestL));
  }

  /**
   * Returns the relative length gap |mean chosen words - mean rejected words| / mean rejected
   * words of a set of pairs (0 for an empty set or when both means are 0; infinity when only the
   * rejected mean is 0).
   *
   * @param pairs the pairs
   * @return the relative gap
   */
  public static double relativeLengthGap(List<PreferencePair> pairs) {
    long sc = 0;
    long sl = 0;
    for (PreferencePair p : pairs) {
      sc += p.chosen().response().wordCount();
      sl += p.rejected().response().wordCount();
    }
    return gap(sc, sl);
  }

  /** Whether a pair survives cut-off k / STEPS: (l - c) / l <= k / STEPS, in exact integers. */
  private static boolean keeps(long c, long l, int k) {
    if (l == 0) {
      return true;
    }
    return (l - c) * STEPS <= (long) k * l;
  }

  private static double gap(long sc, long sl) {
    if (sl == 0) {
      return sc == 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(sc - sl) / (double) sl;
  }

  /** Compares |a - b| / b with |c - d| / d exactly (means share their count, so sums suffice). */
  private static int compareGap(long a, long b, long c, long d) {
    if (b == 0 || d == 0) {
      return Double.compare(gap(a, b), gap(c, d));
    }
    return Long.compare(Math.abs(a - b) * d, Math.abs(c - d) * b);
  }

  /**
   * The outcome of {@link #balanceLengths(List)}.
   *
   * @param pairs the kept pairs, in input order
   * @param cutoff the chosen cut-off r
   * @param gapBefore the relative length gap of the input pairs
   * @param gapAfter the relative length gap of the kept pairs
   */
  public record Balance(List<PreferencePair> pairs, double cutoff, double gapBefore,
      double gapAfter) {
    /** Copies the list. */
    public Balance {
      pairs = List.copyOf(pairs);
    }
  }

  /**
   * The outcome of {@link #selectDetailed(List)}.
   *
   * @param pairs the selected pairs, grouped by prompt in input order
   * @param candidatePairs admissible pairs over all prompts, before drawing
   * @param drawnPairs pairs left after the per-prompt draw
   * @param cutoff the length-balancing cut-off, NaN when balancing is off
   * @param gapBefore relative length gap of the drawn pairs
   * @param gapAfter relative length gap of the selected pairs
   */
  public record Selection(
      List<PreferencePair> pairs,
      int candidatePairs,
      int drawnPairs,
      double cutoff,
      double gapBefore,
      double gapAfter) {
    /** Copies the list. */
    public Selection {
      pairs = List.copyOf(pairs);
    }
  }

  /** Builder for {@link RlaifvPairSelector}; validation happens in {@link #build()}. */
  public static final class Builder {
    private int maxPairsPerPrompt = 2;
    private long seed = 0;
    private boolean lengthBalancing = false;
    private double minScoreGap = 1.0;

    private Builder() {}

    /**
     * Sets the smallest score gap that pairs two responses (1 by default: RLAIF-V's rule for
     * -n_rej). For holistic scores, which are not integers, a smaller gap; 0 pairs any two
     * different scores.
     *
     * @param minScoreGap finite, at least 0
     * @return this builder
     */
    public Builder minScoreGap(double minScoreGap) {
      this.minScoreGap = minScoreGap;
      return this;
    }

    /**
     * Sets the most pairs drawn per prompt (the reference draws 2).
     *
     * @param maxPairsPerPrompt at least 1
     * @return this builder
     */
    public Builder maxPairsPerPrompt(int maxPairsPerPrompt) {
      this.maxPairsPerPrompt = maxPairsPerPrompt;
      return this;
    }

    /**
     * Sets the seed of the per-prompt draws.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Turns length balancing on or off.
     *
     * @param lengthBalancing true to balance
     * @return this builder
     */
    public Builder lengthBalancing(boolean lengthBalancing) {
      this.lengthBalancing = lengthBalancing;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the selector
     * @throws InvalidInputException when maxPairsPerPrompt is below 1 or minScoreGap is negative
     *     or not finite
     */
    public RlaifvPairSelector build() {
      return new RlaifvPairSelector(this);
    }
  }

  /**
   * Describes the selector: its seed, pair limit, length balancing and, when not the default 1,
   * its smallest score gap (so runs made before the setting existed keep their identity).
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    Provenance p = Provenance.of(this)
        .with("seed", seed)
        .with("maxPairsPerPrompt", maxPairsPerPrompt)
        .with("lengthBalancing", lengthBalancing);
    return minScoreGap == 1.0 ? p : p.with("minScoreGap", minScoreGap);
  }
}
