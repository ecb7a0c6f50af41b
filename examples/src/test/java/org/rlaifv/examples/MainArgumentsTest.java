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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's contract with scripts: help, exit statuses and one-line reasons. */
class MainArgumentsTest {

  static final String[] COMMANDS =
      {"demo", "pretrain", "bench", "judge-eval", "judge", "sample", "align", "merge"};

  /** Standard error holds exactly one line, the reason. */
  private static void assertOnlyLine(CliRun.Result r, int status, String fragment) {
    CliRun.assertOneLineError(r, status, fragment);
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), () -> "one line: " + err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "pretrain", "bench", "judge-eval", "judge", "sample", "align", "merge"})
  void everyCommandHasHelpThatExitsZero(String command) {
    for (String flag : new String[] {"--help", "-h"}) {
      CliRun.Result r = CliRun.run(command, flag);
      assertEquals(0, r.status(), r.err());
      assertTrue(r.out().startsWith("Usage: rlaifv " + command), r.out());
      assertTrue(r.out().contains("--help"), r.out());
      assertTrue(r.err().isEmpty(), r.err());
    }
    CliRun.Result viaHelp = CliRun.run("help", command);
    assertEquals(0, viaHelp.status());
    assertTrue(viaHelp.out().startsWith("Usage: rlaifv " + command), viaHelp.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "pretrain", "bench", "judge-eval", "judge", "sample", "align", "merge"})
  void aBadFlagIsAUsageErrorOnOneLine(String command) {
    assertOnlyLine(CliRun.run(command, "--no-such-flag"), Main.USAGE,
        "rlaifv " + command + ": unknown option --no-such-flag");
  }

  @Test
  void topLevelHelpListsEveryCommandAndTheExitStatuses() {
    CliRun.Result r = CliRun.run("--help");
    assertEquals(0, r.status());
    for (String c : COMMANDS) {
      assertTrue(r.out().contains("  " + c + " "), c + " in " + r.out());
    }
    assertTrue(r.out().contains("Exit status: 0 ok, 2 bad command line, 1 failure"), r.out());
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertOnlyLine(CliRun.run("frobnicate"), Main.USAGE, "unknown command 'frobnicate'");
  }

  @Test
  void missingCommandPrintsUsage() {
    CliRun.Result r = CliRun.run();
    assertEquals(Main.USAGE, r.status());
    assertTrue(r.err().startsWith("rlaifv: missing command"), r.err());
    assertTrue(r.err().contains("Usage: rlaifv"), r.err());
  }

  @Test
  void unknownOptionSuggestsTheNearOne() {
    assertOnlyLine(CliRun.run("demo", "--iters", "3"), Main.USAGE, "unknown option --iters");
    assertTrue(CliRun.run("demo", "--iters=3").err().contains("did you mean --iterations?"));
  }

  @Test
  void malformedAndOutOfRangeNumbersAreRejected() {
    assertOnlyLine(CliRun.run("demo", "--iterations", "four"), Main.USAGE,
        "--iterations must be an integer, got 'four'");
    assertOnlyLine(CliRun.run("demo", "--iterations", "0"), Main.USAGE,
        "--iterations must be between 1");
    assertOnlyLine(CliRun.run("demo", "--seed", "1.5"), Main.USAGE, "--seed must be an integer");
    assertOnlyLine(CliRun.run("sample", "--model", "m", "--image", "i", "--prompt", "p",
        "--temperature", "hot"), Main.USAGE, "--temperature must be a number, got 'hot'");
    assertOnlyLine(CliRun.run("sample", "--model", "m", "--image", "i", "--prompt", "p",
        "--top-p", "0"), Main.USAGE, "--top-p must be in (0, 1]");
    assertOnlyLine(CliRun.run("align", "--policy", "p", "--labeler", "l", "--prompts", "f",
        "--out", "o", "--beta", "-1"), Main.USAGE, "--beta must be a positive number");
  }

  @Test
  void missingValueIsRejected() {
    assertOnlyLine(CliRun.run("pretrain", "--out"), Main.USAGE, "--out needs a value");
    assertOnlyLine(CliRun.run("demo", "--out", "--quick"), Main.USAGE, "--out needs a value");
  }

  @Test
  void missingRequiredOptionsAreNamed() {
    String reason = CliRun.assertOneLineError(CliRun.run("judge", "--image", "x.png"),
        Main.USAGE, "missing required options");
    assertTrue(reason.contains("--model DIR") && reason.contains("--question TEXT"), reason);
    CliRun.assertOneLineError(CliRun.run("align", "--policy", "p"), Main.USAGE, "--labeler");
  }

  @Test
  void strayArgumentIsRejected() {
    assertOnlyLine(CliRun.run("bench", "now"), Main.USAGE, "unexpected argument 'now'");
  }

  @Test
  void badChoicesAreRejected() {
    assertOnlyLine(CliRun.run("judge-eval", "--judge", "gpt"), Main.USAGE,
        "--judge must be one of [labeler, oracle, policy], got 'gpt'");
    assertOnlyLine(CliRun.run("align", "--policy", "p", "--labeler", "l", "--prompts", "f",
        "--out", "o", "--loss", "squared"), Main.USAGE, "--loss must be one of [sigmoid, ipo");
    assertOnlyLine(CliRun.run("judge", "--model", "m", "--image", "i", "--question", "q",
        "--device", "tpu"), Main.USAGE, "--device must be cpu, cuda, cuda:N or auto");
  }

  @Test
  void enumChoicesIgnoreCase() {
    // Parsing succeeds (the failure is the missing model directory, exit status 1).
    assertOnlyLine(CliRun.run("align", "--policy", "no-such-policy", "--labeler", "l",
        "--prompts", "f", "--out", "o", "--loss", "IPO", "--schedule", "Linear"), Main.FAILED,
        "--policy no-such-policy is not a directory");
  }

  @Test
  void missingModelsAreAFailureWithTheDirectory(@TempDir Path tmp) {
    Path none = tmp.resolve("nothing-here");
    assertOnlyLine(CliRun.run("demo", "--quick", "--models", none.toString(), "--out",
        tmp.resolve("out").toString()), Main.FAILED, none.resolve("shapes-policy").toString());
    assertOnlyLine(CliRun.run("judge-eval", "--models", none.toString(), "--out",
        tmp.resolve("out").toString()), Main.FAILED, none.toString());
    assertOnlyLine(CliRun.run("judge", "--model", none.toString(), "--image", "x.png",
        "--question", "is it?"), Main.FAILED, "--model " + none + " is not a directory");
  }

  @Test
  void anUnknownBackendIsAFailureNamingTheRegisteredOnes(@TempDir Path tmp) {
    assertOnlyLine(CliRun.run("judge", "--model", tmp.toString(), "--image", "x.png",
        "--question", "is it?", "--backend", "tensorflow"), Main.FAILED,
        "no backend named 'tensorflow'");
  }

  @Test
  void aFailureDuringAProgressBarIsReportedOnItsOwnLine() throws InterruptedException {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      Progress bar = Progress.start("stage", 10);
      bar.stepTo(3);
      // The bar is left open, as a listener's bar is when a stage throws.
      Main.failure("rlaifv demo: ", new org.rlaifv.InvalidInputException("it broke"), System.err);
    } finally {
      System.setErr(oldErr);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("stage"), "the bar was drawn: " + text);
    assertTrue(text.endsWith("\nrlaifv demo: it broke" + System.lineSeparator()), text);
    Thread.sleep(800); // longer than the bar's redraw interval
    assertEquals(text, err.toString(StandardCharsets.UTF_8), "the bar stopped drawing");
  }

  @Test
  void djlIsOfflineBeforeAnyCommandRuns() {
    CliRun.run("help");
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }
}
