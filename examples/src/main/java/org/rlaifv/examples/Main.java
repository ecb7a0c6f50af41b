package org.rlaifv.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.rlaifv.RlaifvException;

/**
 * The {@code rlaifv} command line: {@code demo}, {@code pretrain}, {@code bench} and {@code
 * judge-eval}.
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar demo --out runs/demo
 * }</pre>
 *
 * <p>Every subcommand prints progress on standard error and a short summary on standard output,
 * and exits non-zero with a one-line reason on bad arguments or input. DJL is put in offline mode
 * (no model zoo, no downloads, no usage tracking) before any DJL class loads, unless the caller
 * set those properties already.
 */
public final class Main {

  /** Exit status of a bad command line. */
  public static final int USAGE = 2;

  /** Exit status of a failure while running. */
  public static final int FAILED = 1;

  private static final String USAGE_TEXT = String.join("\n",
      "usage: rlaifv <command> [options]",
      "  demo       [--out DIR] [--iterations N] [--seed S] [--quick] [--baselines] [--models DIR]",
      "  pretrain   [--out DIR] [--seed S] [--quick] [--only policy|labeler] [--policy-steps N]",
      "             [--labeler-steps N] [--hard-steps N] [--hard-lr X] [--hard-mix F]",
      "  bench      [--out DIR] [--quick]",
      "  judge-eval [--judge labeler|oracle|policy] [--out DIR] [--models DIR] [--n N]");

  private Main() {}

  /**
   * Sets DJL's offline and engine settings as system properties when they are not set already;
   * DJL reads each from the environment or from a system property of the same name.
   */
  static void configureDjl() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
    setIfAbsent("PYTORCH_FLAVOR", "cpu");
    // The ShapesWorld models are tiny: a multi-threaded intra-op pool costs more than it gains.
    setIfAbsent("ai.djl.pytorch.num_threads", "1");
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the subcommand and its options
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs one subcommand.
   *
   * @param args the subcommand and its options
   * @param out where the summary goes
   * @return 0 on success, {@link #USAGE} for a bad command line, {@link #FAILED} for a failure
   */
  public static int run(String[] args, PrintStream out) {
    configureDjl();
    if (args.length == 0) {
      System.err.println("rlaifv: missing command\n" + USAGE_TEXT);
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      switch (args[0]) {
        case "demo" -> DemoCommand.run(rest, out);
        case "pretrain" -> PretrainCommand.run(rest, out);
        case "bench" -> BenchCommand.run(rest, out);
        case "judge-eval" -> JudgeEvalCommand.run(rest, out);
        case "help", "--help", "-h" -> out.println(USAGE_TEXT);
        default -> throw new Args.UsageException(
            "rlaifv: unknown command '" + args[0] + "' (demo, pretrain, bench, judge-eval)");
      }
      return 0;
    } catch (Args.UsageException e) {
      System.err.println(e.getMessage());
      return USAGE;
    } catch (RlaifvException | java.io.UncheckedIOException e) {
      System.err.println("rlaifv " + args[0] + ": " + oneLine(e));
      return FAILED;
    } catch (RuntimeException e) {
      System.err.println("rlaifv " + args[0] + ": " + e.getClass().getSimpleName() + ": " + oneLine(e)
          + " (set -Drlaifv.trace=true for the stack trace)");
      if (Boolean.getBoolean("rlaifv.trace")) {
        e.printStackTrace();
      }
      return FAILED;
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
