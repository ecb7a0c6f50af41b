package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process for end-to-end tests. */
final class CliRun {
  private CliRun() {}

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
}
