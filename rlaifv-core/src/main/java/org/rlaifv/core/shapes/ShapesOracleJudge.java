package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ground-truth judge of ShapesWorld: answers polar questions from the scene graph, the
 * upper-bound baseline for a trained labeler.
 *
 * <p>The scene of an image is looked up in a {@link SceneRegistry} (images of {@link
 * ShapesWorld#prompts(Split, int, long)} are registered there). A question (with or without the
 * {@link CaptionGrammar#JUDGE_SUFFIX}) is parsed by {@link MentionParser}: "is there a red circle
 * on the top left?", "are there red circles?", "is there no blue square?". It is true when every
 * mention {@linkplain Mention#holdsIn(Scene) holds} (a named place must match; a negation inverts);
 * the verdict is then pYes = 1, pNo = 0, and the reverse when false. A question naming no shape
 * gets an abstained verdict with pYes = pNo = 0.
 *
 * <p>Thread-safe; holds no native resources.
 */
public final class ShapesOracleJudge implements PolarJudge {

  private static final Logger LOG = LoggerFactory.getLogger(ShapesOracleJudge.class);

  private final SceneRegistry registry;
  private final boolean hard;

  /**
   * Creates a judge over a registry.
   *
   * @param registry where the scenes of the images to judge are registered
   */
  public ShapesOracleJudge(SceneRegistry registry) {
    this(registry, false);
  }

  /**
   * Creates a judge over a registry, for either world.
   *
   * @param registry where the scenes of the images to judge are registered
   * @param hard whether questions follow the hard world's grammar ({@link #judgeHard})
   */
  public ShapesOracleJudge(SceneRegistry registry, boolean hard) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.hard = hard;
  }

  /**
   * Answers every question about one image from its registered scene.
   *
   * @param image a registered image
   * @param questions the questions
   * @return one verdict per question, in order
   * @throws InvalidInputException when the image's scene is not registered
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Scene scene =
        registry
            .find(image)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "the oracle judge does not know image "
                            + image.contentHash()
                            + "; register its scene (ShapesWorld.prompts registers prompt images)"));
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      out.add(hard ? judgeHard(scene, q) : judge(scene, q));
    }
    return List.copyOf(out);
  }

  /**
   * Answers one question about a scene.
   *
   * @param scene the ground truth
   * @param question the question
   * @return the verdict: certain yes, certain no, or abstained when the question names no shape
   */
  public static ClaimVerdict judge(Scene scene, PolarQuestion question) {
    List<Mention> mentions =
        MentionParser.parse(CaptionGrammar.stripJudgeSuffix(question.question()));
    if (mentions.isEmpty()) {
      LOG.debug("oracle abstains on unparseable question '{}'", question.question());
      return new ClaimVerdict(question, 0, 0, true);
    }
    boolean truth = mentions.stream().allMatch(m -> m.holdsIn(scene));
    return new ClaimVerdict(question, truth ? 1 : 0, truth ? 0 : 1, false);
  }

  /**
   * Answers one question of the hard world's grammar about a scene: true when every fact {@link
   * HardGrammar#parse(String)} reads from it holds (sizes, counts and relations included).
   *
   * @param scene the ground truth
   * @param question the question
   * @return the verdict: certain yes, certain no, or abstained when the question states no fact
   */
  public static ClaimVerdict judgeHard(Scene scene, PolarQuestion question) {
    List<HardFact> facts = HardGrammar.parse(CaptionGrammar.stripJudgeSuffix(question.question()));
    if (facts.isEmpty()) {
      LOG.debug("oracle abstains on unparseable question '{}'", question.question());
      return new ClaimVerdict(question, 0, 0, true);
    }
    boolean truth = facts.stream().allMatch(f -> f.holdsIn(scene));
    return new ClaimVerdict(question, truth ? 1 : 0, truth ? 0 : 1, false);
  }
}
