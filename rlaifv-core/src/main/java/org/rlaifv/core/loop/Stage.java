package org.rlaifv.core.loop;

/** The stages of one iteration of the alignment loop, in the order they run. */
public enum Stage {
  /** Draw candidate responses from the current policy. */
  SAMPLE("sample", "responses.jsonl"),
  /** Score every candidate (divide, conquer, combine). */
  SCORE("score", "scores.jsonl"),
  /** Select preference pairs among each prompt's candidates. */
  PAIR("pair", "pairs.jsonl"),
  /** Train the policy with DPO on the pairs. */
  TRAIN("train", "training.jsonl"),
  /** Choose the checkpoint that becomes the next policy. */
  SELECT("select", "selected.json");

  private final String key;
  private final String fileName;

  Stage(String key, String fileName) {
    this.key = key;
    this.fileName = fileName;
  }

  /**
   * Returns the stage's key in the run manifest.
   *
   * @return the lowercase key
   */
  public String key() {
    return key;
  }

  /**
   * Returns the name of the file the stage writes in the iteration directory.
   *
   * @return the file name
   */
  public String fileName() {
    return fileName;
  }
}
