package org.rlaifv.examples;

import java.io.PrintStream;
import java.util.List;

final class JudgeEvalCommand {
  private JudgeEvalCommand() {}

  static void run(List<String> argv, PrintStream out) {
    throw new Args.UsageException("judge-eval: not yet");
  }
}
