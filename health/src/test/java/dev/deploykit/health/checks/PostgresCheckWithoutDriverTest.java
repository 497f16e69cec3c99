package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL driver is an optional dependency of health: without it, the checks that need it
 * answer DOWN naming the dependency instead of throwing {@code NoClassDefFoundError}. "Without
 * it" is a class loader holding health, SLF4J and the JDK only.
 */
class PostgresCheckWithoutDriverTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:1/app";

  @Test
  void withoutTheDriverBothChecksAreDownNamingTheDependency() throws Exception {
    try (URLClassLoader withoutDriver = new URLClassLoader(new URL[] {
        location(PostgresCheck.class), location(PostgresCheckWithoutDriverTest.class),
        location(org.slf4j.Logger.class)}, new JdkOnly())) {
      assertThatThrownBy(() -> withoutDriver.loadClass("org.postgresql.Driver"))
          .isInstanceOf(ClassNotFoundException.class);

      Callable<?> runBoth = (Callable<?>) withoutDriver.loadClass(RunBoth.class.getName())
          .getConstructor().newInstance();
      Object results = runBoth.call();

      assertThat((List<?>) results).hasSize(2).allSatisfy(r -> assertThat(r.toString())
          .startsWith("DOWN|cannot check 127.0.0.1:1/app: the PostgreSQL JDBC driver is missing;"
              + " add the dependency org.postgresql:postgresql|")
          .endsWith("{missingDependency=org.postgresql:postgresql}"));
    }
  }

  @Test
  void withTheDriverARefusedPortIsAnOrdinaryDown() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(PostgresTarget.of(URL, "app", "pw")).build()) {
      HealthResult r = Checks.run(check, Duration.ofSeconds(5));
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).doesNotContain("driver is missing");
      assertThat(r.data()).doesNotContainKey("missingDependency");
    }
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }

  /**
   * Answers the JDK's classes only. The platform class loader itself is no such parent: on the
   * module path, it hands a class of any module in the boot layer (the driver's too) to the
   * application class loader.
   */
  private static final class JdkOnly extends ClassLoader {
    JdkOnly() {
      super(null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
          || name.startsWith("sun.") || name.startsWith("com.sun.")) {
        return ClassLoader.getPlatformClassLoader().loadClass(name);
      }
      throw new ClassNotFoundException(name);
    }
  }

  /** Runs both checks in whatever class loader loaded it; each result as status|detail|data. */
  public static final class RunBoth implements Callable<List<String>> {
    /** For {@code getConstructor().newInstance()}. */
    public RunBoth() {}

    @Override
    public List<String> call() throws Exception {
      PostgresTarget target = PostgresTarget.of(URL, "app", "pw");
      try (PostgresCheck postgres = PostgresCheck.builder(target).build();
          WorkerHeartbeatCheck heartbeat = WorkerHeartbeatCheck.builder(target,
              "select last_beat from worker_heartbeat where worker = ?", "w1").build()) {
        return List.of(line(Checks.run(postgres, Duration.ofSeconds(5))),
            line(Checks.run(heartbeat, Duration.ofSeconds(5))));
      }
    }

    private static String line(HealthResult r) {
      return r.status() + "|" + r.detail() + "|" + r.data();
    }
  }
}
