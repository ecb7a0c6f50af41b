package org.rlaifv.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.rlaifv.BackendException;
import org.rlaifv.Prompt;
import org.rlaifv.RlaifvException;

/** How the scorers of this package call their parts and check what the parts return. */
final class ScorerCalls {
  private ScorerCalls() {}

  /** Runs one part, wrapping a failure that is not already an SDK exception with the prompt id. */
  static <T> T call(String who, Prompt prompt, Supplier<T> part) {
    try {
      return part.get();
    } catch (RlaifvException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(
          who + " failed on prompt " + prompt.id() + ": " + e.getMessage(), e);
    }
  }

  /** Refuses a result list of the wrong size or with a null entry, naming the part and prompt. */
  static void checkSize(List<?> got, int expected, String who, String what, Prompt prompt) {
    if (got == null || got.size() != expected || got.stream().anyMatch(Objects::isNull)) {
      throw new BackendException(
          who + " returned " + (got == null ? "null" : got.size() + " " + what) + " for "
              + expected + " inputs of prompt " + prompt.id()
              + "; it must return exactly one non-null result per input, in order");
    }
  }

  /** A response text shortened for log lines. */
  static String preview(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() <= 80 ? t : t.substring(0, 77) + "...";
  }
}
