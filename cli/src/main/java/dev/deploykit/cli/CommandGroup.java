package dev.deploykit.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code host}, {@code db}, {@code do}, {@code runpod},
 * {@code swarm}): run without one, it is a usage error that names the subcommands.
 */
abstract class CommandGroup implements Runnable {
  @ParentCommand Deploykit root;

  @Spec CommandSpec spec;

  /** The message for a run without a subcommand, naming the subcommands. */
  abstract String missingCommand();

  @Override
  public final void run() {
    throw new ParameterException(spec.commandLine(), missingCommand());
  }
}
