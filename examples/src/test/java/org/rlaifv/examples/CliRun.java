package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process for end-to-end tests. */
final class CliRun {
  private CliRun() {}

  /**
   * What one run of the command line did.
   *
   * @param status the exit status
   * @param out what it printed on standard output
   * @param err what it printed on standard error
   */
  record Result(int status, String out, String err) {}

  /**
   * Runs {@link Main#run} and asserts it exits with 0.
   *
   * @param args the command line
   * @return what the command printed
   */
  static String succeeds(String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int rc = Main.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, text);
    return text;
  }

  /**
   * Runs {@link Main#run} capturing both standard output and standard error.
   *
   * @param args the command line
   * @return the status and both streams
   */
  static Result run(String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
      return new Result(rc, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
  }

  /**
   * Asserts an exit status and that standard error ends with a one-line reason that names
   * something, on a line of its own.
   *
   * @param r the run
   * @param status the expected status
   * @param fragment text the reason contains
   * @return the reason
   */
  static String assertOneLineError(Result r, int status, String fragment) {
    assertEquals(status, r.status(), () -> "exit status; stderr: " + r.err());
    String err = r.err().strip();
    assertFalse(err.isEmpty(), "a reason is printed");
    String last = err.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("rlaifv"), () -> "the reason starts a line: " + err);
    assertFalse(last.contains("\r"), () -> "no progress bar on the reason's line: " + err);
    assertTrue(last.contains(fragment), () -> "'" + last + "' names " + fragment);
    return last;
  }
}
