package org.rlaifv.testkit;

import java.nio.file.Path;
import java.util.Objects;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * One labelled polar question: an image, a yes/no question about it and the gold answer.
 *
 * <p>{@code id} names the item in reports and failure messages (the JSONL loader uses the line's
 * {@code "id"} field, or {@code file:line}); {@code imageName} names the image (its relative path
 * when loaded from a data set).
 *
 * <pre>{@code
 * LabelledQuestion q = LabelledQuestion.of("scene-1", image, "is there a red circle?", true);
 * LabelledQuestion r = LabelledQuestion.of(Path.of("data/scene-2.png"), "is there a cross?", false);
 * }</pre>
 *
 * @param id identifies the item in messages, not blank
 * @param imageName names the image in messages, not blank
 * @param image the image the question is about
 * @param question the polar question, not blank
 * @param gold true when the correct answer is "yes"
 */
public record LabelledQuestion(
    String id, String imageName, Image image, String question, boolean gold) {

  /**
   * Validates the fields.
   *
   * @throws NullPointerException when a field is null
   * @throws InvalidInputException when the id, image name or question is blank
   */
  public LabelledQuestion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(imageName, () -> "image name of item " + id);
    Objects.requireNonNull(image, () -> "image of item " + id);
    Objects.requireNonNull(question, () -> "question of item " + id);
    if (id.isBlank() || imageName.isBlank()) {
      throw new InvalidInputException("labelled question '" + question + "' has a blank id or image name");
    }
    if (question.isBlank()) {
      throw new InvalidInputException("labelled question " + id + " has a blank question");
    }
  }

  /**
   * Creates an item whose id is {@code imageName + ": " + question}.
   *
   * @param imageName names the image in messages
   * @param image the image
   * @param question the polar question
   * @param gold true when the correct answer is "yes"
   * @return the item
   */
  public static LabelledQuestion of(String imageName, Image image, String question, boolean gold) {
    Objects.requireNonNull(imageName, "imageName");
    return new LabelledQuestion(imageName + ": " + question, imageName, image, question, gold);
  }

  /**
   * Creates an item from an image file, loaded with {@link Image#fromFile(Path)}.
   *
   * @param imageFile the image file
   * @param question the polar question
   * @param gold true when the correct answer is "yes"
   * @return the item
   * @throws InvalidInputException naming the file when it cannot be read as an image
   */
  public static LabelledQuestion of(Path imageFile, String question, boolean gold) {
    Objects.requireNonNull(imageFile, "imageFile");
    return of(imageFile.toString(), Image.fromFile(imageFile), question, gold);
  }

  /**
   * Returns the gold answer as a word.
   *
   * @return "yes" or "no"
   */
  public String goldAnswer() {
    return gold ? "yes" : "no";
  }
}
