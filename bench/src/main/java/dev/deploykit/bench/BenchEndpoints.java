package dev.deploykit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where one latency set's servers answer: PostgreSQL (through its delay proxy, if any), the HTTP
 * server, and the container to inspect. Written by {@link BenchHost} into a properties file that
 * every benchmark fork reads, so the servers start once per run, outside the measured JVM.
 *
 * <p>Immutable and thread-safe.
 *
 * @param jdbcUrl the URL the PostgreSQL checks use
 * @param pgPort the port PostgreSQL answers on (the proxy's when there is one)
 * @param httpBase the HTTP server's base URI
 * @param containerId the container to inspect, or null without a Docker engine
 * @param dockerNote why there is no container check, or empty
 */
public record BenchEndpoints(String jdbcUrl, int pgPort, URI httpBase,
    @Nullable String containerId, String dockerNote) {
  /** The environment variable naming {@link BenchHost}'s properties file. */
  public static final String HOST_FILE = "DEPLOYKIT_BENCH_HOST";

  /** Validates. */
  public BenchEndpoints {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(httpBase, "httpBase");
    Objects.requireNonNull(dockerNote, "dockerNote");
  }

  /** The endpoints of {@code latency} in {@code file}, or null if the file has none. */
  static @Nullable BenchEndpoints read(Path file, String latency) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    String jdbc = p.getProperty(latency + ".jdbc");
    if (jdbc == null) {
      return null;
    }
    return new BenchEndpoints(jdbc, Integer.parseInt(p.getProperty(latency + ".pgPort")),
        URI.create(p.getProperty(latency + ".http")), p.getProperty(latency + ".container"),
        p.getProperty(latency + ".dockerNote", ""));
  }

  /** Adds these endpoints under {@code latency} to {@code p}. */
  void store(Properties p, String latency) {
    p.setProperty(latency + ".jdbc", jdbcUrl);
    p.setProperty(latency + ".pgPort", Integer.toString(pgPort));
    p.setProperty(latency + ".http", httpBase.toString());
    if (containerId != null) {
      p.setProperty(latency + ".container", containerId);
    }
    p.setProperty(latency + ".dockerNote", dockerNote);
  }

  /** Writes {@code p} to {@code file} atomically (readers never see half a file). */
  static void write(Properties p, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "deploykit bench servers");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
