package dev.deploykit.core.internal.host;

import java.time.Duration;
import java.util.List;

/**
 * Runs POSIX scripts on a host, each under a deadline that the host itself enforces (coreutils
 * {@code timeout}: closing the channel does not end a remote command). A seam for tests.
 */
public interface Shell {

  /**
   * Runs {@code script} with {@code /bin/sh} ({@code args} as {@code $1...}), as root through
   * {@code sudo -n} when {@code sudo} is set.
   *
   * @param what what the script does, for messages ("installing docker.io")
   * @throws dev.deploykit.core.DeployException when it did not finish within {@code deadline}, or
   *     the connection failed
   */
  Result run(String what, String script, List<String> args, Duration deadline, boolean sudo);

  /** {@code host:port}, for messages. */
  String hostAndPort();

  /**
   * What a script did.
   *
   * @param exitCode its exit status
   * @param output what it wrote to stdout
   * @param errors what it wrote to stderr
   */
  record Result(int exitCode, String output, String errors) {
    /** Whether it exited with 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr (else stdout), joined into one line, for messages. */
    public String tail(int lines) {
      String text = errors.isBlank() ? output : errors;
      List<String> all = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
      return String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }
}
