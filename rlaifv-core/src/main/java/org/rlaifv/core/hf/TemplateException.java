package org.rlaifv.core.hf;

import org.rlaifv.RlaifvException;

/**
 * A chat template could not be rendered: the template called {@code raise_exception(...)}, or it
 * uses syntax, a filter or a method the engine does not provide. The message names the template
 * (its model directory and file) and the template's own message or the failing line.
 */
public class TemplateException extends RlaifvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the template
   */
  public TemplateException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, naming the template
   * @param cause the underlying failure
   */
  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
