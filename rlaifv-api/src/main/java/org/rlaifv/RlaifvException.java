package org.rlaifv;

/**
 * Root of every exception the SDK throws. Unchecked: callers catch it where they can act on it.
 *
 * <p>Messages name the item at fault (prompt id, file, line, tensor) and, where possible, say
 * what to do.
 */
public class RlaifvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong and on which item
   */
  public RlaifvException(String message) {
    super(message);
  }

  /**
   * Creates an exception wrapping a cause (for example a backend's checked exception).
   *
   * @param message what went wrong and on which item
   * @param cause the underlying failure
   */
  public RlaifvException(String message, Throwable cause) {
    super(message, cause);
  }
}
