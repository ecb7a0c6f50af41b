package org.rlaifv;

import java.util.Objects;

/**
 * One sampled candidate response to a prompt.
 *
 * @param promptId id of the prompt it answers
 * @param index sample index within the prompt, from 0
 * @param text the generated text (may be empty when the model stopped at once)
 * @param seed the seed that produced it; re-sampling with it reproduces {@code text}
 * @param tokenCount number of generated tokens, or 0 when unknown (scripted samplers)
 */
public record Response(String promptId, int index, String text, long seed, int tokenCount) {

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException naming the prompt when a field is invalid
   */
  public Response {
    Checks.nonBlank(promptId, "response prompt id");
    Objects.requireNonNull(text, () -> "text of response " + index + " to prompt " + promptId);
    if (index < 0 || tokenCount < 0) {
      throw new InvalidInputException(
          "response to prompt " + promptId + " has negative index or token count");
    }
  }

  /**
   * Returns the number of whitespace-separated words, the length measure of length balancing.
   *
   * @return the word count
   */
  public int wordCount() {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}
