package org.rlaifv.examples;

import picocli.CommandLine.Option;

/** The {@code -h} / {@code --help} option every subcommand has. */
final class HelpFlag {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
