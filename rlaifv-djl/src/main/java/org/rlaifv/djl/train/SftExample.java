package org.rlaifv.djl.train;

import java.util.Objects;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * One supervised example: an image, a prompt and the target response the model should produce.
 *
 * @param image the image
 * @param prompt the instruction text (rendered with the model's prompt format), not blank
 * @param target the response to learn; the loss covers its tokens and the end token only
 */
public record SftExample(Image image, String prompt, String target) {
  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the prompt is blank
   */
  public SftExample {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(target, "target");
    if (prompt.isBlank()) {
      throw new InvalidInputException("an SFT example needs a prompt, got a blank one");
    }
  }
}
