package org.rlaifv;

/**
 * A model directory or weights file cannot be used: a missing or corrupt file, a tensor whose
 * shape does not match the config, a missing tokenizer, a graph with unexpected inputs. The
 * message names the file and, where it applies, the tensor or input.
 */
public class ModelFormatException extends RlaifvException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the file and tensor
   */
  public ModelFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong, naming the file and tensor
   * @param cause the underlying failure
   */
  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
