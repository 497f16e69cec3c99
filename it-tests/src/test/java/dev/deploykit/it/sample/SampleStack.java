package dev.deploykit.it.sample;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.deploykit.images.Recipe;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * What the sample-stack ITs share: the images (built from this repository through the same
 * mechanism as the stand-ins), PostgreSQL on a shared network under the alias {@code db} with the
 * sample schema migrated by Flyway, and small HTTP and SQL helpers.
 */
final class SampleStack {
  static final String DB_PASSWORD = "it-sample-secret";
  static final String DB_URL_IN_NETWORK = "jdbc:postgresql://db:5432/app";
  static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private SampleStack() {}

  /** Builds the recipe's image unless an image with the same inputs exists; prints the time. */
  static String image(Recipe recipe) {
    long t0 = System.nanoTime();
    String image = StandInImageSubstitutor.images().build(recipe);
    System.out.printf(Locale.ROOT, "image %s ready in %.1f s (built or reused)%n", image,
        (System.nanoTime() - t0) / 1e9);
    return image;
  }

  /** postgres:18.1 (or its stand-in) on {@code network} as {@code db}, user and database app. */
  static PostgreSQLContainer postgres(Network network) {
    PostgreSQLContainer pg = new PostgreSQLContainer(DockerImageName.parse("postgres:18.1"))
        .withDatabaseName("app")
        .withUsername("app")
        .withPassword(DB_PASSWORD)
        .withNetwork(network)
        .withNetworkAliases("db");
    pg.start();
    return pg;
  }

  /** Applies examples/migrations (packaged in the app's jar as classpath:db/migration). */
  static MigrateResult migrate(PostgreSQLContainer pg) {
    MigrateResult result = Flyway.configure()
        .dataSource(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    System.out.printf(Locale.ROOT, "Flyway applied %d migration(s), schema now at %s%n",
        result.migrationsExecuted, result.targetSchemaVersion);
    return result;
  }

  /** The app's container on {@code network}, not started; waits for {@code /up} 200. */
  static GenericContainer<?> app(String image, Network network) {
    return new GenericContainer<>(DockerImageName.parse(image))
        .withNetwork(network)
        .withEnv("DB_URL", DB_URL_IN_NETWORK)
        .withEnv("DB_USER", "app")
        .withEnv("DB_PASSWORD", DB_PASSWORD)
        .withEnv("STOP_TIMEOUT", "10s")
        .withExposedPorts(8080)
        .withLabel("dev.deploykit.test", "sample")
        .waitingFor(Wait.forHttp("/up").forPort(8080).forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(1)));
  }

  static Connection connect(PostgreSQLContainer pg) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", pg.getUsername());
    p.setProperty("password", pg.getPassword());
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(pg.getJdbcUrl(), p);
  }

  static List<String> query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    }
  }

  static long count(Connection c, String sql) throws SQLException {
    return Long.parseLong(query(c, sql).getFirst());
  }

  static URI url(GenericContainer<?> container, int port, String path) {
    return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(port) + path);
  }

  static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** {@code docker stop} (SIGTERM, then SIGKILL after {@code grace}); returns the exit code. */
  static long stopWithSigterm(GenericContainer<?> container, Duration grace) {
    DockerClient docker = DockerClientFactory.instance().client();
    long t0 = System.nanoTime();
    docker.stopContainerCmd(container.getContainerId()).withTimeout((int) grace.toSeconds()).exec();
    InspectContainerResponse state = docker.inspectContainerCmd(container.getContainerId()).exec();
    System.out.printf(Locale.ROOT, "docker stop of %s took %.0f ms, exit code %d%n",
        container.getContainerName(), (System.nanoTime() - t0) / 1e6,
        state.getState().getExitCodeLong());
    return state.getState().getExitCodeLong();
  }

  /** The container's whole log, also when it has stopped. */
  static String logs(GenericContainer<?> container) {
    return container.getLogs();
  }
}
