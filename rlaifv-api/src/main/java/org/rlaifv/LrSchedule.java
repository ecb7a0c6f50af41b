package org.rlaifv;

/** Learning-rate schedules; all but {@link #CONSTANT} warm up linearly first. */
public enum LrSchedule {
  /** The same rate at every step (after warmup, if any). */
  CONSTANT,
  /** Linear warmup, then linear decay to 0. */
  LINEAR,
  /** Linear warmup, then cosine decay to 0. */
  COSINE
}
