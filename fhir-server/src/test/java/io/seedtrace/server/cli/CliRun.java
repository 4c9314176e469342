package io.seedtrace.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

/** Runs a CLI command in-process and captures what a user would see. */
record CliRun(int exit, String out, String err) {

  interface Command {
    int run(List<String> args, PrintStream out, PrintStream err);
  }

  static CliRun of(Command command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = command.run(List.of(args), new PrintStream(out, true), new PrintStream(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }
}
