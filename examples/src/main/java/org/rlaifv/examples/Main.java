package org.rlaifv.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.rlaifv.RlaifvException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code rlaifv} command line: {@code demo}, {@code pretrain}, {@code bench}, {@code
 * judge-eval}, {@code judge}, {@code sample} and {@code align}; {@code rlaifv COMMAND --help}
 * describes each.
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar demo --out runs/demo
 * java -jar examples/target/rlaifv.jar judge --model DIR --image scene.png --question "is there a cat?"
 * }</pre>
 *
 * <p>Every subcommand prints progress on standard error and its result on standard output. The
 * exit status is 0 on success, {@value #USAGE} for a bad command line and {@value #FAILED} for a
 * failure while running; either error prints a one-line reason on standard error, on a line of its
 * own. DJL is put in offline mode (no model zoo, no downloads, no usage tracking) before any DJL
 * class loads, unless the caller set those properties already.
 */
public final class Main {

  /** Exit status of a bad command line. */
  public static final int USAGE = CommandLine.ExitCode.USAGE;

  /** Exit status of a failure while running. */
  public static final int FAILED = CommandLine.ExitCode.SOFTWARE;

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
   * @param out where results and help go
   * @return 0 on success, {@link #USAGE} for a bad command line, {@link #FAILED} for a failure
   */
  public static int run(String[] args, PrintStream out) {
    return execute(commandLine(out), args, out);
  }

  /**
   * Runs a picocli command with the command line's conventions: DJL offline, help on {@code out},
   * one-line errors on standard error, exit status 0, {@link #USAGE} or {@link #FAILED}.
   *
   * @param command a {@code @Command} object
   * @param args its arguments
   * @param out where results and help go
   * @return the exit status
   */
  static int execute(Object command, String[] args, PrintStream out) {
    return execute(new CommandLine(command), args, out);
  }

  private static int execute(CommandLine cli, String[] args, PrintStream out) {
    configureDjl();
    PrintStream err = System.err;
    // A repeated option keeps its last value, as the earlier hand-written parser did.
    cli.setOverwrittenOptionsAllowed(true);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpWidth(100);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((e, argv) -> {
      Progress.closeAll();
      CommandLine c = e.getCommandLine();
      if (c.getCommandSpec().userObject() instanceof Root && Root.MISSING.equals(e.getMessage())) {
        err.println("rlaifv: missing command");
        c.usage(err);
        return USAGE;
      }
      err.println(prefix(c) + Cli.describe(e));
      return USAGE;
    });
    cli.setExecutionExceptionHandler((e, c, parsed) -> {
      failure(prefix(c), e, err);
      return FAILED;
    });
    return cli.execute(args);
  }

  /** Builds the command tree; subcommands print results on {@code out}. */
  static CommandLine commandLine(PrintStream out) {
    CommandLine cli = new CommandLine(new Root());
    cli.addSubcommand(new DemoCommand(out));
    cli.addSubcommand(new PretrainCommand(out));
    cli.addSubcommand(new BenchCommand(out));
    cli.addSubcommand(new JudgeEvalCommand(out));
    cli.addSubcommand(new JudgeCommand(out));
    cli.addSubcommand(new SampleCommand(out));
    cli.addSubcommand(new AlignCommand(out));
    cli.addSubcommand(new MergeCommand(out));
    cli.addSubcommand(new CommandLine.HelpCommand());
    return cli;
  }

  /**
   * Prints the one-line reason of a failure on its own line, after closing any progress bar still
   * drawing on standard error.
   *
   * @param prefix {@code "rlaifv COMMAND: "}
   * @param e the failure
   * @param err standard error
   */
  static void failure(String prefix, Throwable e, PrintStream err) {
    Progress.closeAll();
    if (e instanceof RlaifvException || e instanceof UncheckedIOException) {
      err.println(prefix + oneLine(e));
    } else {
      err.println(prefix + e.getClass().getSimpleName() + ": " + oneLine(e)
          + " (set -Drlaifv.trace=true for the stack trace)");
    }
    if (Boolean.getBoolean("rlaifv.trace")) {
      e.printStackTrace(err);
    }
    err.flush();
  }

  private static String prefix(CommandLine c) {
    return c.getCommandSpec().qualifiedName() + ": ";
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  /** The top-level command: only dispatches. */
  @Command(name = "rlaifv",
      description = {"RLAIF-V for Java: align multimodal LLMs with feedback from an open-source "
          + "labeler.", ""},
      synopsisSubcommandLabel = "COMMAND",
     
      footer = {"", "Exit status: 0 ok, 2 bad command line, 1 failure (with a one-line reason "
          + "on standard error; -Drlaifv.trace=true adds the stack trace).",
          "Run 'rlaifv COMMAND --help' for a command's options."})
  static final class Root implements Runnable {
    static final String MISSING = "missing command";

    @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true,
        description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
      throw new ParameterException(spec.commandLine(), MISSING);
    }
  }
}
