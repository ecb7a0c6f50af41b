package org.rlaifv.core.shapes;

import java.util.Objects;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * One supervised example: an image, the prompt text the model sees and the target text it should
 * produce, with the scene it was made from.
 *
 * @param scene the ground truth of the image
 * @param image the rendered scene
 * @param prompt the input text, not blank
 * @param target the text to learn (empty only for the caption of an empty scene)
 * @param insertedSentences how many sentences of the target mention objects absent from the scene
 *     (the corpus flaw); 0 for clean targets
 */
public record TrainingExample(
    Scene scene, Image image, String prompt, String target, int insertedSentences) {

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the prompt is blank or the count is negative
   */
  public TrainingExample {
    Objects.requireNonNull(scene, "scene");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(target, "target");
    if (prompt.isBlank()) {
      throw new InvalidInputException(
          "training example of scene " + scene.seed() + " has a blank prompt");
    }
    if (insertedSentences < 0) {
      throw new InvalidInputException("inserted sentence count must be non-negative");
    }
  }
}
