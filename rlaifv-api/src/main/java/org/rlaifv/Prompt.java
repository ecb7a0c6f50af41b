package org.rlaifv;

import java.util.Objects;

/**
 * One instruction x = (image, prompt text), identified by a stable id.
 *
 * <p>The id names the prompt in run directories, pair files and error messages, so it must be
 * unique within a run.
 *
 * @param id stable identifier, not blank, no line breaks
 * @param image the image the instruction is about
 * @param text the instruction text, not blank
 */
public record Prompt(String id, Image image, String text) {

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException naming the prompt when the id or text is blank
   */
  public Prompt {
    Checks.nonBlank(id, "prompt id");
    if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
      throw new InvalidInputException("prompt id must not contain line breaks: " + id);
    }
    Objects.requireNonNull(image, () -> "image of prompt " + id);
    Objects.requireNonNull(text, () -> "text of prompt " + id);
    if (text.isBlank()) {
      throw new InvalidInputException("prompt " + id + " has empty text");
    }
  }

  @Override
  public String toString() {
    return "Prompt[" + id + ", " + image + ", " + text + "]";
  }
}
