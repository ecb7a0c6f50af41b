package org.rlaifv;

/**
 * Bad input: an empty prompt, an unreadable or oversized image, a malformed JSONL line, a value
 * out of range. The message names the item (prompt id, file and line, field).
 */
public class InvalidInputException extends RlaifvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where
   */
  public InvalidInputException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong and where
   * @param cause the underlying failure
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
