package org.rlaifv;

/**
 * A backend failed: a native engine error (wrapped with its cause), a backend that cannot be
 * found or chosen, a device that was requested but is absent.
 */
public class BackendException extends RlaifvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and what to do
   */
  public BackendException(String message) {
    super(message);
  }

  /**
   * Creates the exception wrapping the engine's own exception.
   *
   * @param message what failed and what to do
   * @param cause the engine's exception
   */
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
