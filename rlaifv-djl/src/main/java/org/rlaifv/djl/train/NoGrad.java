package org.rlaifv.djl.train;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's (thread-local) autograd recording off until closed, then restores it, so that
 * inference-only forwards build no graph whatever thread they run on.
 */
final class NoGrad implements AutoCloseable {
  private final boolean previous;

  NoGrad() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
