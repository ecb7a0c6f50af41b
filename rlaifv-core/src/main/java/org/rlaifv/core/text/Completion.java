package org.rlaifv.core.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * One completion of a text generator: the text, the generated ids and why generation ended. Every
 * backend's generator returns these.
 *
 * @param text the generated text (special tokens skipped, cut before a stop string)
 * @param tokenIds the generated ids, without the end-of-sequence id
 * @param finish why it ended
 */
public record Completion(String text, long[] tokenIds, Finish finish) {
  /** Why a completion ended. */
  public enum Finish {
    /** The model wrote an end-of-sequence id. */
    EOS,
    /** A stop string appeared; the text is cut before it. */
    STOP_STRING,
    /** The token limit or the model's position limit was reached. */
    LENGTH
  }

  /** Checks for nulls and copies the ids. */
  public Completion {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(finish, "finish");
    tokenIds = tokenIds.clone();
  }

  /**
   * Returns the generated ids.
   *
   * @return a copy
   */
  @Override
  public long[] tokenIds() {
    return tokenIds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Completion c && c.text.equals(text) && Arrays.equals(c.tokenIds, tokenIds)
        && c.finish == finish;
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + Arrays.hashCode(tokenIds) * 7 + finish.hashCode();
  }

  @Override
  public String toString() {
    return "Completion[text=" + text + ", tokenIds=" + Arrays.toString(tokenIds) + ", finish="
        + finish + "]";
  }
}
