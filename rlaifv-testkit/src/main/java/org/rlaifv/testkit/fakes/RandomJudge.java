package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Seeds;

/**
 * A judge that answers at random, but reproducibly: the probabilities are a seeded hash of the
 * seed, the image's content and the question text, so the same question about the same image
 * always gets the same verdict, alone or in any batch. It knows nothing about the image: a chance
 * baseline that passes the {@link org.rlaifv.testkit.PolarJudgeContract} but fails any accuracy
 * bound.
 *
 * <pre>{@code
 * PolarJudge coin = new RandomJudge(42);
 * }</pre>
 *
 * <p>The yes/no mass is drawn in [0.8, 1], so it never abstains. Immutable and thread-safe.
 */
public final class RandomJudge implements PolarJudge {
  private final long seed;

  /**
   * Creates a random judge.
   *
   * @param seed the seed; different seeds give unrelated answers
   */
  public RandomJudge(long seed) {
    this.seed = seed;
  }

  /**
   * Gives every question a pseudo-random verdict determined by seed, image and question.
   *
   * @param image the image; must not be null
   * @param questions the questions; no nulls
   * @return one verdict per question
   * @throws NullPointerException when the image, list or a question is null
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(questions, "questions");
    long imageSeed = Seeds.mix(seed, image.contentHash());
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    for (int i = 0; i < questions.size(); i++) {
      PolarQuestion q = Objects.requireNonNull(questions.get(i), "question " + i);
      SplittableRandom rng = new SplittableRandom(Seeds.mix(imageSeed, q.question()));
      double share = rng.nextDouble();
      double mass = 0.8 + 0.2 * rng.nextDouble();
      out.add(new ClaimVerdict(q, share * mass, (1 - share) * mass, false));
    }
    return out;
  }
}
