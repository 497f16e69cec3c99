package dev.deploykit.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The libraries' log lines: warnings only, unless {@code --verbose}. */
final class Logging {
  private Logging() {}

  static void configure(boolean verbose) {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(verbose ? Level.INFO : Level.WARN);
    }
    // docker-java logs every failed pull attempt (expected where no registry answers) as an ERROR
    // with a stack trace; the command says what it chose in one line instead.
    // sshj, likewise, logs a refused host key or key as ERRORs with stack traces before the
    // library turns them into one DeployException line.
    for (String library : new String[] {"com.github.dockerjava", "net.schmizz", "com.hierynomus"}) {
      if (LoggerFactory.getLogger(library) instanceof Logger logger) {
        logger.setLevel(verbose ? Level.INFO : Level.OFF);
      }
    }
    // A host key trusted on first contact (--accept-new-host-key) is always said, with its fingerprint.
    if (LoggerFactory.getLogger("dev.deploykit.core.internal.ssh.StrictHostKeyVerifier") instanceof Logger trust) {
      trust.setLevel(Level.INFO);
    }
  }
}
