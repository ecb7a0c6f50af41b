package org.rlaifv.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.rlaifv.InvalidInputException;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every subcommand shares: checks of option values that end in a usage error (exit status
 * 2), and the one-line wording of picocli's parse errors.
 */
final class Cli {
  private Cli() {}

  /**
   * Returns a usage error of a command.
   *
   * @param spec the command
   * @param message the one-line reason
   * @return the exception to throw
   */
  static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * Checks that an integer option lies in a range.
   *
   * @param spec the command
   * @param option the option's name, for the message
   * @param value the value
   * @param min smallest allowed
   * @param max largest allowed
   * @return the value
   */
  static int range(CommandSpec spec, String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw usage(spec, option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /**
   * Checks that a number option is positive and finite.
   *
   * @param spec the command
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   */
  static double positive(CommandSpec spec, String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw usage(spec, option + " must be a positive number, got " + value);
    }
    return value;
  }

  /**
   * Checks that a number option is finite and at least zero.
   *
   * @param spec the command
   * @param option the option's name, for the message
   * @param value the value
   * @return the value
   */
  static double nonNegative(CommandSpec spec, String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw usage(spec, option + " must be a number >= 0, got " + value);
    }
    return value;
  }

  /**
   * Checks that an option's value is one of a fixed list.
   *
   * @param spec the command
   * @param option the option's name, for the message
   * @param value the value
   * @param allowed the accepted values
   * @return the value
   */
  static String choice(CommandSpec spec, String option, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw usage(spec, option + " must be one of " + allowed + ", got '" + value + "'");
    }
    return value;
  }

  /**
   * Checks that an option names an existing directory; its absence is a failure (exit status 1),
   * not a usage error, like any other missing input.
   *
   * @param option the option's name, for the message
   * @param dir the directory
   * @return the directory
   * @throws InvalidInputException when it is not a directory
   */
  static Path directory(String option, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(option + " " + dir + " is not a directory"
          + (Files.exists(dir) ? "" : " (it does not exist)"));
    }
    return dir;
  }

  /**
   * Words a parse error as one line: unknown options and commands, missing values and options,
   * malformed numbers and bad choices.
   *
   * @param e the error picocli raised (or a command's own usage error)
   * @return the reason, without the command prefix
   */
  static String describe(ParameterException e) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    List<String> unmatched = e.getCommandLine().getUnmatchedArguments();
    if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
      // An unknown option explains a missing one better than the other way round.
      e = new UnmatchedArgumentException(e.getCommandLine(), unmatched);
    }
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (u.isUnknownOption() || arg.startsWith("-")) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> near = u.getSuggestions().stream().filter(s -> s.startsWith("-")).toList();
        return "unknown option " + name + " ("
            + (near.isEmpty() ? "" : "did you mean " + String.join(" or ", near) + "? ")
            + "see '" + spec.qualifiedName() + " --help')";
      }
      if (!spec.subcommands().isEmpty()) {
        return "unknown command '" + arg + "' ("
            + String.join(", ", spec.subcommands().keySet()) + ")";
      }
      return "unexpected argument '" + arg + "' (see '" + spec.qualifiedName() + " --help')";
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof MissingParameterException m) {
      if (message.contains("parameter for option") && !m.getMissing().isEmpty()) {
        return optionName(m.getMissing().get(0)) + " needs a value";
      }
      List<String> names = new ArrayList<>();
      for (ArgSpec a : m.getMissing()) {
        names.add(optionName(a) + (a.isOption() ? " " + a.paramLabel() : ""));
      }
      return "missing required option" + (names.size() > 1 ? "s " : " ")
          + String.join(", ", names) + " (see '" + spec.qualifiedName() + " --help')";
    }
    if (message.startsWith("Invalid value for option") && e.getArgSpec() instanceof OptionSpec o
        && e.getValue() != null) {
      return invalidValue(o, e.getValue(), message);
    }
    return Main.oneLine(e);
  }

  private static String invalidValue(OptionSpec o, String value, String message) {
    Class<?> type = o.auxiliaryTypes().length > 0 ? o.auxiliaryTypes()[0] : o.type();
    String name = o.longestName();
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return name + " must be an integer, got '" + value + "'";
    }
    if (type == double.class || type == Double.class || type == float.class
        || type == Float.class) {
      return name + " must be a number, got '" + value + "'";
    }
    if (type.isEnum()) {
      String allowed = Arrays.stream(type.getEnumConstants())
          .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
      return name + " must be one of [" + allowed + "], got '" + value + "'";
    }
    int colon = message.indexOf(": ");
    return name + ": " + (colon < 0 ? message : message.substring(colon + 2));
  }

  private static String optionName(ArgSpec a) {
    if (a instanceof OptionSpec o) {
      return o.longestName();
    }
    return a.paramLabel();
  }
}
