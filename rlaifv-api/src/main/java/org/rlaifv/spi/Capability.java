package org.rlaifv.spi;

/** What a backend can do; ask with {@link BackendProvider#hasCapability(Capability)}. */
public enum Capability {
  /** Sampling responses ({@link BackendProvider#newSampler}). */
  SAMPLING,
  /** Polar judging ({@link BackendProvider#newJudge}). */
  JUDGING,
  /** Gradient training ({@link BackendProvider#newDpoTrainer}). */
  TRAINING,
  /** Incremental decoding with a key/value cache (shared prefill, prefix-cached judging). */
  KV_CACHE,
  /** A CUDA device is visible and usable. */
  CUDA,
  /** Exporting models to ONNX. */
  EXPORT_ONNX,
  /** Text generation with a causal language model ({@link BackendProvider#newTextGenerator}). */
  TEXT_GENERATION
}
