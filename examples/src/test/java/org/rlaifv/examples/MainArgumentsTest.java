package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainArgumentsTest {

  /** Runs the command line, returns {exit status, standard error}. */
  static Object[] run(String... args) {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
      return new Object[] {rc, err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(oldErr);
    }
  }

  private static void assertOneLineError(Object[] r, int status, String fragment) {
    assertEquals(status, r[0], () -> "exit status; stderr: " + r[1]);
    String err = ((String) r[1]).strip();
    assertFalse(err.isEmpty(), "a reason is printed");
    assertEquals(1, err.lines().count(), () -> "one line: " + err);
    assertTrue(err.contains(fragment), () -> "'" + err + "' names " + fragment);
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertOneLineError(run("align"), Main.USAGE, "unknown command 'align'");
  }

  @Test
  void missingCommandPrintsUsage() {
    Object[] r = run();
    assertEquals(Main.USAGE, r[0]);
    assertTrue(((String) r[1]).contains("usage: rlaifv"));
  }

  @Test
  void unknownOptionNamesTheOptionAndTheAcceptedOnes() {
    assertOneLineError(run("demo", "--iters", "3"), Main.USAGE, "unknown option --iters");
    assertTrue(((String) run("demo", "--iters", "3")[1]).contains("--iterations"));
  }

  @Test
  void malformedAndOutOfRangeNumbersAreRejected() {
    assertOneLineError(run("demo", "--iterations", "four"), Main.USAGE, "--iterations must be an integer");
    assertOneLineError(run("demo", "--iterations", "0"), Main.USAGE, "--iterations must be between 1");
    assertOneLineError(run("demo", "--seed", "1.5"), Main.USAGE, "--seed must be an integer");
  }

  @Test
  void missingValueIsRejected() {
    assertOneLineError(run("pretrain", "--out"), Main.USAGE, "--out needs a value");
    assertOneLineError(run("demo", "--out", "--quick"), Main.USAGE, "--out needs a value");
  }

  @Test
  void strayArgumentIsRejected() {
    assertOneLineError(run("bench", "now"), Main.USAGE, "unexpected argument 'now'");
  }

  @Test
  void badChoiceIsRejected() {
    assertOneLineError(run("judge-eval", "--judge", "gpt"), Main.USAGE, "--judge must be one of");
  }

  @Test
  void missingModelsAreAFailureWithTheDirectory(@TempDir Path tmp) {
    Path none = tmp.resolve("nothing-here");
    assertOneLineError(run("demo", "--quick", "--models", none.toString(), "--out",
        tmp.resolve("out").toString()), Main.FAILED, none.resolve("shapes-policy").toString());
    assertOneLineError(run("judge-eval", "--models", none.toString(), "--out",
        tmp.resolve("out").toString()), Main.FAILED, none.toString());
  }

  @Test
  void djlIsOfflineBeforeAnyCommandRuns() {
    run("help");
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }
}
