package org.rlaifv;

/**
 * One atomic, self-contained factual claim taken from a response.
 *
 * @param text the claim as a declarative sentence, not blank
 */
public record Claim(String text) {
  /**
   * Validates the text.
   *
   * @throws InvalidInputException when the text is blank
   */
  public Claim {
    Checks.nonBlank(text, "claim text");
  }
}
