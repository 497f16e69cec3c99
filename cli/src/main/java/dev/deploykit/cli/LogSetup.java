package dev.deploykit.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The libraries' log for the command, set up in code (found by logback through
 * {@code META-INF/services}): one appender on stderr, warnings only ({@link Logging} raises the
 * level for {@code --verbose}). In code rather than a logback.xml because parsing XML at start-up
 * (an XML parser, Joran's model) costs a command that should answer in well under a second
 * about a tenth of it. Ranked below logback's own file lookup, so a logback.xml or
 * logback-test.xml on the class path (a test suite's, an embedder's) still wins.
 */
@ConfiguratorRank(LogSetup.RANK)
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** After logback's file lookup (NOMINAL, 0), before its basic fallback (FALLBACK, -10). */
  static final int RANK = -5;

  /** Called by logback through the service loader. */
  public LogSetup() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context.getLogger("com.github.dockerjava").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
