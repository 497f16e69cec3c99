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
import java.util.Optional;
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
    try {
      return Optional.of(run(db, host, container, network));
    } catch (DbInitException e) {
      if (!connectionLost(e)) {
        throw new DeployException(DeployException.Reason.DATABASE, e.getMessage(), e);
      }
      // The connection to the server broke (over SSH: the host's connection dropped and was
      // made again). Each migration is one transaction, so nothing is half applied: run once
      // more through a new forward.
      log.warn("db-init lost its connection to {} ({}); running it once more", container, e.getMessage());
      try {
        return Optional.of(run(db, host, container, network));
      } catch (DbInitException again) {
        throw new DeployException(DeployException.Reason.DATABASE, again.getMessage(), again);
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
    try (PortForward forward = host.forward(container, network, db.port())) {
      return DbInit.builder()
          .host(forward.address().getHostString()).port(forward.address().getPort())
          .database(db.database())
          .owner(db.user(), db.password())
          .timeout(db.timeout())
          .locations(db.migrations().toArray(String[]::new))
          .build().pending();
    } catch (DbInitException e) {
      throw new DeployException(DeployException.Reason.DATABASE, e.getMessage(), e);
    }
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
