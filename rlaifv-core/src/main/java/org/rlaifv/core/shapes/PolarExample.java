package org.rlaifv.core.shapes;

import java.util.Objects;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarQuestion;

/**
 * One polar question about a scene with its true answer.
 *
 * @param scene the ground truth
 * @param image the rendered scene
 * @param question the question, e.g. {@code "is there a red circle on the top left?"}
 * @param kind what the question tests; {@code kind.answer()} is the true answer
 */
public record PolarExample(Scene scene, Image image, String question, QuestionKind kind) {

  /** Validates the fields. */
  public PolarExample {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Returns the true answer.
   *
   * @return true for yes
   */
  public boolean answer() {
    return kind.answer();
  }

  /**
   * Returns the text the labeler sees: the question followed by {@link CaptionGrammar#JUDGE_SUFFIX}.
   *
   * @return the judge prompt
   */
  public String prompt() {
    return CaptionGrammar.judgePrompt(question);
  }

  /**
   * Returns the answer word the labeler should produce.
   *
   * @return {@code "yes"} or {@code "no"}
   */
  public String target() {
    return answer() ? CaptionGrammar.YES : CaptionGrammar.NO;
  }

  /**
   * Returns the question as a {@link PolarQuestion}, with the statement it checks as the claim.
   *
   * @return the polar question
   */
  public PolarQuestion toPolarQuestion() {
    String q = question.strip();
    String claim = q.startsWith("is there ") ? "there is " + q.substring(9) : q;
    if (claim.endsWith("?")) {
      claim = claim.substring(0, claim.length() - 1) + ".";
    }
    return new PolarQuestion(new Claim(claim), question);
  }

  /**
   * Returns the example as a labeler training example (judge prompt, yes/no target).
   *
   * @return the training example
   */
  public TrainingExample toTrainingExample() {
    return new TrainingExample(scene, image, prompt(), target(), 0);
  }
}
