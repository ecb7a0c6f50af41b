package org.rlaifv.examples;

import java.io.PrintStream;
import java.util.List;

final class BenchCommand {
  private BenchCommand() {}

  static void run(List<String> argv, PrintStream out) {
    throw new Args.UsageException("bench: not yet");
  }
}
