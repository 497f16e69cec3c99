package dev.deploykit.core.internal.dbinit;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.PortForward;
import dev.deploykit.dbinit.DbInit;
import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DatabaseStep#fromStack()} with db-init on the class path: db-init against the stack's
 * database accessory, reached through the host ({@link DockerHost#forward}). This is the only
 * class of deploy-core that touches db-init (an optional dependency), and it is loaded only when
 * db-init is present.
 */
public final class DbInitStep implements DatabaseStep {
  private static final Logger log = LoggerFactory.getLogger(DbInitStep.class);
  private static final int RECONNECT_ATTEMPTS = 4;
  /** 1 s, 2 s, 3 s between the attempts. */
  private static final Backoff RECONNECT_PAUSE =
      Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(3));

  @Override
  public Optional<String> prepare(Stack stack, DockerHost host) {
    DatabaseSettings db = stack.settings().database();
    if (db == null) {
      return Optional.empty();
    }
    String container = StackNames.accessoryContainer(stack.name(), db.service());
    String network = StackNames.network(stack.name());
    host.inspect(container, network).filter(ContainerState::running)
        .orElseThrow(() -> new DeployException(DeployException.Reason.DATABASE, "db_init names service "
            + db.service() + ", but its container " + container + " is not running"));
    return Optional.of(reconnecting(container, () -> run(db, host, container, network)));
  }

  /**
   * Runs a db-init call, and again through a new forward when the link to the server broke (over
   * SSH: the host's connection dropped and is being made again). Each migration is one
   * transaction, so nothing is half applied. The SSH connection may still be coming back, so the
   * later attempts wait a little first; the attempts are bounded.
   */
  private static <T> T reconnecting(String container, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (DbInitException e) {
        if (!connectionLost(e) || attempt == RECONNECT_ATTEMPTS) {
          throw new DeployException(DeployException.Reason.DATABASE, e.getMessage(), e);
        }
        log.warn("db-init lost its connection to {} ({}); running it again (attempt {} of {})",
            container, e.getMessage(), attempt + 1, RECONNECT_ATTEMPTS);
        try {
          TimeSource.system().sleep(RECONNECT_PAUSE.delay(attempt, ThreadLocalRandom.current()));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new DeployException(DeployException.Reason.DATABASE, e.getMessage(), e);
        }
      }
    }
  }

  @Override
  public java.util.List<String> pending(Stack stack, DockerHost host) {
    DatabaseSettings db = stack.settings().database();
    if (db == null || db.migrations().isEmpty()) {
      return java.util.List.of();
    }
    String container = StackNames.accessoryContainer(stack.name(), db.service());
    String network = StackNames.network(stack.name());
    return reconnecting(container, () -> {
      try (PortForward forward = host.forward(container, network, db.port())) {
        return DbInit.builder()
            .host(forward.address().getHostString()).port(forward.address().getPort())
            .database(db.database())
            .owner(db.user(), db.password())
            .timeout(db.timeout())
            .locations(db.migrations().toArray(String[]::new))
            .build().pending();
      }
    });
  }

  /** SQLSTATE class 08: connection exception (the link to the server, not the SQL). */
  static boolean connectionLost(DbInitException e) {
    return e.sqlState() != null && e.sqlState().startsWith("08");
  }

  private static String run(DatabaseSettings db, DockerHost host, String container, String network) {
    try (PortForward forward = host.forward(container, network, db.port())) {
      DbInit.Builder init = DbInit.builder()
          .host(forward.address().getHostString()).port(forward.address().getPort())
          .database(db.database())
          .owner(db.user(), db.password())
          .timeout(db.timeout());
      if (!db.migrations().isEmpty()) {
        init.locations(db.migrations().toArray(String[]::new));
      }
      if (db.readonlyUser() != null && db.readonlyPassword() != null) {
        init.readOnlyRole(db.readonlyUser(), db.readonlyPassword());
      }
      DbInitResult result = init.build().run();
      return result.toString().lines().findFirst().orElse("db-init done");
    }
  }
}
