package org.rlaifv;

/**
 * A backend was asked for something it does not declare, for example training on the ONNX
 * Runtime backend. The message names the backend and one that can do it.
 */
public class UnsupportedCapabilityException extends BackendException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which backend, which capability, and which backend to use instead
   */
  public UnsupportedCapabilityException(String message) {
    super(message);
  }
}
