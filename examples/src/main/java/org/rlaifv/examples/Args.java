package org.rlaifv.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of one subcommand: {@code --name value} pairs and {@code --flag} switches.
 * Unknown options, missing values and malformed numbers are {@link UsageException}s whose message
 * is the one line the command prints before exiting non-zero.
 */
final class Args {
  private final String command;
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> flags = new LinkedHashSet<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * Parses arguments against the options a subcommand accepts.
   *
   * @param command the subcommand, for messages
   * @param argv the arguments after the subcommand
   * @param valued options taking a value (without the leading dashes)
   * @param switches options without a value
   * @return the parsed arguments
   */
  static Args parse(String command, List<String> argv, Set<String> valued, Set<String> switches) {
    Args a = new Args(command);
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException(command + ": unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name) && inline == null) {
        a.flags.add(name);
      } else if (valued.contains(name)) {
        String v = inline;
        if (v == null) {
          if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) {
            throw new UsageException(command + ": option --" + name + " needs a value");
          }
          v = argv.get(++i);
        }
        a.values.put(name, v);
      } else {
        throw new UsageException(
            command + ": unknown option --" + name + " (accepted: " + accepted(valued, switches) + ")");
      }
    }
    return a;
  }

  private static String accepted(Set<String> valued, Set<String> switches) {
    StringBuilder sb = new StringBuilder();
    valued.stream().sorted().forEach(v -> sb.append(sb.length() == 0 ? "" : ", ").append("--").append(v).append(" X"));
    switches.stream().sorted().forEach(v -> sb.append(sb.length() == 0 ? "" : ", ").append("--").append(v));
    return sb.toString();
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  Path path(String name, String def) {
    return Path.of(string(name, def));
  }

  int integer(String name, int def, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      int x = Integer.parseInt(v.strip());
      if (x < min || x > max) {
        throw new UsageException(
            command + ": --" + name + " must be between " + min + " and " + max + ", got " + x);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
    }
  }

  double decimal(String name, double def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      double x = Double.parseDouble(v.strip());
      if (!(x > 0) || Double.isInfinite(x)) {
        throw new UsageException(command + ": --" + name + " must be a positive number, got " + v);
      }
      return x;
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
    }
  }

  long longValue(String name, long def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
    }
  }

  String choice(String name, String def, Set<String> allowed) {
    String v = string(name, def);
    if (!allowed.contains(v)) {
      throw new UsageException(command + ": --" + name + " must be one of " + allowed + ", got '" + v + "'");
    }
    return v;
  }

  /** A bad command line; the message is printed as the one-line reason. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
