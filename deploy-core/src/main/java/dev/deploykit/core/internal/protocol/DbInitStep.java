package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.ContainerState;
import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DockerHost;
import dev.deploykit.core.Stack;
import dev.deploykit.core.internal.state.Names;
import dev.deploykit.dbinit.DbInit;
import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitResult;
import java.util.Optional;

/**
 * {@link DatabaseStep#FROM_STACK}: db-init against the stack's database accessory, reached at its
 * address on the stack network (the local engine's bridge network is routable from this host).
 */
public final class DbInitStep implements DatabaseStep {

  @Override
  public Optional<String> prepare(Stack stack, DockerHost host) {
    Optional<DatabaseSettings> settings = stack.settings().databaseStep();
    if (settings.isEmpty()) {
      return Optional.empty();
    }
    DatabaseSettings db = settings.get();
    String container = Names.accessoryContainer(stack.name(), db.service());
    ContainerState state = host.inspect(container, Names.network(stack.name()))
        .filter(ContainerState::running)
        .orElseThrow(() -> new DeployException("db_init names service " + db.service()
            + ", but its container " + container + " is not running"));
    String address = state.address().orElseThrow(() -> new DeployException("Container " + container
        + " has no address on the network " + Names.network(stack.name())));
    DbInit.Builder init = DbInit.builder()
        .host(address).port(db.port()).database(db.database())
        .owner(db.user(), db.password())
        .timeout(db.timeout());
    if (!db.migrations().isEmpty()) {
      init.locations(db.migrations().toArray(String[]::new));
    }
    if (db.readonlyUser() != null && db.readonlyPassword() != null) {
      init.readOnlyRole(db.readonlyUser(), db.readonlyPassword());
    }
    try {
      DbInitResult result = init.build().run();
      return Optional.of(result.toString().lines().findFirst().orElse("db-init done"));
    } catch (DbInitException e) {
      throw new DeployException(e.getMessage(), e);
    }
  }
}
