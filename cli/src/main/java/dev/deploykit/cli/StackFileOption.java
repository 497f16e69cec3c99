package dev.deploykit.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -f/--file} on a command, so that both {@code deploykit -f x deploy} and
 * {@code deploykit deploy -f x} work; the value lands on the top-level command. ({@code logs}
 * takes {@code -f} for follow, as Docker does, and {@code --file} only.)
 */
final class StackFileOption {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The stack's Compose file (default: ./compose.yaml).")
  void file(@Nullable Path file) {
    if (file != null) {
      root(mixee).file = file;
    }
  }

  static Deploykit root(CommandSpec spec) {
    CommandSpec s = spec;
    while (s.parent() != null) {
      s = s.parent();
    }
    return (Deploykit) s.userObject();
  }
}
