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
  }
}
