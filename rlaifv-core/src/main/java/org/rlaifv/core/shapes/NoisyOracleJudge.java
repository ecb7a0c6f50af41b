package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Seeds;

/**
 * A labeler of set quality: the ground-truth judge's verdict, flipped for a fixed share of the
 * (image, question) pairs, so that a run can hold the labeler's accuracy at exactly the value an
 * ablation asks for (75%, 85%, 95%) while every other part stays the same.
 *
 * <p>Whether a pair is flipped is a pure function of the image's content hash, the question and the
 * seed, so the same question about the same image always gets the same verdict (as a trained
 * labeler's would), and runs are reproducible. Abstentions of the oracle pass through. Thread-safe.
 *
 * <pre>{@code
 * PolarJudge labeler75 = new NoisyOracleJudge(world.oracleJudge(), 0.75, 0L);
 * }</pre>
 */
public final class NoisyOracleJudge implements PolarJudge {

  private final PolarJudge oracle;
  private final double accuracy;
  private final long seed;

  /**
   * Creates the judge.
   *
   * @param oracle the ground-truth judge
   * @param accuracy share of verdicts left as the oracle gave them, in [0.5, 1]
   * @param seed seed of the choice of flipped pairs
   * @throws InvalidInputException when the accuracy is out of range
   */
  public NoisyOracleJudge(PolarJudge oracle, double accuracy, long seed) {
    this.oracle = Objects.requireNonNull(oracle, "oracle");
    if (!(accuracy >= 0.5 && accuracy <= 1)) {
      throw new InvalidInputException("noisy oracle accuracy must be in [0.5, 1], got " + accuracy);
    }
    this.accuracy = accuracy;
    this.seed = seed;
  }

  /**
   * Returns the share of verdicts kept.
   *
   * @return the accuracy in [0.5, 1]
   */
  public double accuracy() {
    return accuracy;
  }

  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    List<ClaimVerdict> truth = oracle.judge(image, questions);
    List<ClaimVerdict> out = new ArrayList<>(truth.size());
    String hash = image.contentHash();
    for (ClaimVerdict v : truth) {
      long h = Seeds.mix(Seeds.mix(seed, hash), v.question().question());
      double u = (h >>> 11) * 0x1.0p-53;
      boolean flip = !v.abstained() && u >= accuracy;
      out.add(flip ? new ClaimVerdict(v.question(), v.pNo(), v.pYes(), false) : v);
    }
    return List.copyOf(out);
  }
}
