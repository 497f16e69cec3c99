package dev.deploykit.embedder;

import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.DatabaseStep;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import java.nio.file.Path;
import java.util.List;

/**
 * A program that embeds deploy-core as an application would, run by {@link
 * EmbedderWithoutDbInitTest} on a module path without db-init, Flyway or the PostgreSQL driver.
 * It prints one line per fact; nothing here talks to a Docker engine.
 */
public final class EmbedderMain {
  private EmbedderMain() {}

  /** {@code args[0]}: the folder holding {@code plain.yaml} and {@code with-db.yaml}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    System.out.println("module " + Deployer.class.getModule().getName() + ": "
        + (Deployer.class.getModule().isNamed() ? "named" : "unnamed"));
    for (String name : List.of("dev.deploykit.dbinit", "flyway.core", "org.postgresql.jdbc")) {
      System.out.println("module " + name + ": "
          + (ModuleLayer.boot().findModule(name).isPresent() ? "present" : "absent"));
    }
    try (DockerHost host = DockerHost.local()) {
      Deployer.builder(host).build();
      System.out.println("deployer: built");
      DatabaseStep step = DatabaseStep.fromStack();
      System.out.println("without db_init: "
          + step.prepare(ComposeFile.load(dir.resolve("plain.yaml")), host));
      try {
        step.prepare(ComposeFile.load(dir.resolve("with-db.yaml")), host);
        System.out.println("with db_init: prepared");
      } catch (DeployException e) {
        System.out.println("with db_init: " + e.reason() + ": " + e.getMessage());
      }
    }
  }
}
