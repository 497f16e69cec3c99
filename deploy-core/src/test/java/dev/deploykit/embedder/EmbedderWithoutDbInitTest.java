package dev.deploykit.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedder of deploy-core is not forced to take db-init, Flyway or the PostgreSQL driver: in
 * a JVM of its own, on a module path of exactly what Maven gives an embedder, deploy-core
 * resolves without them and works. A stack without {@code db_init} needs nothing from them; one
 * with it is refused, naming the dependency to add. (The Enforcer rule in deploy-core's pom says
 * the same of Maven's dependency tree.)
 */
class EmbedderWithoutDbInitTest {
  private static final String PLAIN = """
      name: shop
      services:
        db:
          image: postgres:18.1
      """;
  private static final String WITH_DB = """
      name: shop
      x-deploykit:
        db_init:
          service: db
          database: shop
          user: shop
          password: not-a-secret
      services:
        db:
          image: postgres:18.1
      """;

  @TempDir Path dir;

  @Test
  void deployCoreWorksOnAModulePathWithoutDbInitFlywayOrTheDriver() throws Exception {
    Files.writeString(dir.resolve("plain.yaml"), PLAIN);
    Files.writeString(dir.resolve("with-db.yaml"), WITH_DB);
    Path out = dir.resolve("out.txt");
    Process embedder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", String.join(File.pathSeparator, embedderModulePath()),
        "--add-modules", "dev.deploykit.core",
        "-cp", Path.of(EmbedderMain.class.getProtectionDomain().getCodeSource().getLocation()
            .toURI()).toString(),
        EmbedderMain.class.getName(), dir.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(embedder.waitFor(2, TimeUnit.MINUTES)).as("the embedder exits").isTrue();
    } finally {
      embedder.destroyForcibly();
    }
    String printed = Files.readString(out);
    assertThat(embedder.exitValue()).as(printed).isZero();
    assertThat(printed.lines()).contains(
        "module dev.deploykit.core: named",
        "module dev.deploykit.dbinit: absent",
        "module flyway.core: absent",
        "module org.postgresql.jdbc: absent",
        "deployer: built",
        "without db_init: Optional.empty");
    assertThat(printed).contains("with db_init: DATABASE: Stack shop asks for db_init, but db-init"
        + " is not on the class path: add the dependency dev.deploykit:deploykit-db-init");
  }

  /**
   * deploy-core's classes and its runtime class path as Maven gives it to an embedder (no
   * provided or optional dependency), from deploy-core's pom.
   */
  private static List<String> embedderModulePath() {
    String path = System.getProperty("deploykit.embedderPath");
    assumeTrue(path != null, "deploykit.embedderPath is set by deploy-core's pom: run through Maven");
    return Arrays.stream(path.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
  }
}
