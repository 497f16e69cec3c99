package dev.deploykit.sample.app;

import static dev.deploykit.sample.common.Console.log;
import static dev.deploykit.sample.common.Console.oneLine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deploykit.sample.common.ClassPath;
import dev.deploykit.sample.common.Json;
import dev.deploykit.sample.common.Lifecycle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The sample stack's web app: a JDK {@link HttpServer} on virtual threads in front of PostgreSQL.
 *
 * <ul>
 *   <li>{@code GET /up}: 200 {@code up} when ready (the database answers), else 503 with why;
 *   <li>{@code GET /version}: {@code {"version":"v2","release":"...","instance":"..."}}, the
 *       {@code APP_VERSION} baked into the image and the {@code DEPLOYKIT_RELEASE} set by deploykit;
 *   <li>{@code GET /}: one line naming the app and its version (no database);
 *   <li>{@code GET /slow?ms=<n>}: answers after {@code n} ms (at most 60000): a long request,
 *       to watch a graceful stop or a drain finish it;
 *   <li>{@code POST /notes} (body: the note) stores a note, {@code GET /notes} lists the latest;
 *   <li>{@code POST /jobs} (body: the prompt) queues a job for the worker, {@code GET /jobs/<id>}
 *       shows it.
 * </ul>
 *
 * <p>On SIGTERM it stops accepting connections, lets the requests in flight finish (up to {@code
 * STOP_TIMEOUT}) and exits 0. Settings: {@link AppSettings}; deliberate defects: {@link Fault}.
 *
 * <p>Run: {@code DB_URL=jdbc:postgresql://localhost:5432/app DB_PASSWORD=... java -cp 'lib/*'
 * dev.deploykit.sample.app.SampleApp}
 */
public final class SampleApp {
  private static final int MAX_BODY = 64 * 1024;
  private static final Duration DB_WAIT = Duration.ofSeconds(5);
  private static final Duration UP_WAIT = Duration.ofSeconds(2);

  static {
    // Small responses must leave at once, not wait for Nagle's algorithm. The JDK server reads
    // this property when its first instance starts; a value set on the command line wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final AppSettings settings;
  private final String instance;
  private final ConnectionPool pool;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** When {@code /up} first answered 200: {@link Fault.UnhealthyAfter} counts from there. */
  private volatile @Nullable Instant firstHealthyAt;
  private volatile boolean stopping;

  private SampleApp(AppSettings settings, String instance) {
    this.settings = settings;
    this.instance = instance;
    this.pool = new ConnectionPool(settings.dbUrl(), settings.jdbcProperties(), settings.poolSize());
  }

  /**
   * The class-path entries the app runs from (its own classes, the samples' common classes and
   * pgjdbc): what its image carries. Used by the image recipe in {@code deploykit-images}.
   */
  public static List<Path> classPath() {
    return ClassPath.of(SampleApp.class, ClassPath.class, org.postgresql.Driver.class);
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--version")) {
      // Also the image build's class-data-sharing run: touch what a real start loads.
      Class.forName("org.postgresql.Driver");
      HttpServer probe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      probe.start();
      probe.stop(0);
      System.out.println(AppSettings.fromEnvironment(System.getenv()).version());
      return;
    }
    AppSettings settings = Lifecycle.settingsOrExit(AppSettings::fromEnvironment);
    String instance = System.getenv().getOrDefault("HOSTNAME", "local");
    log("deploykit sample app " + settings.version() + " starting as " + instance + ": " + settings);
    switch (settings.fault()) {
      case Fault.ExitAtBoot f -> {
        log(Fault.ENV + "=exit-at-boot: exiting with status 3 before listening");
        System.exit(3);
      }
      case Fault.SlowBoot f -> {
        log(Fault.ENV + "=slow-boot: waiting " + f.delay() + " before listening");
        Thread.sleep(f.delay());
      }
      default -> { }
    }
    new SampleApp(settings, instance).run();
  }

  private void run() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(settings.listenPort()), 256);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(http, executor), "sample-app-stop"));
    http.start();
    long sinceJvmStart = Lifecycle.millisSinceJvmStart();
    if (settings.fault() instanceof Fault.WrongPort) {
      log(Fault.ENV + "=wrong-port: listening on " + settings.listenPort() + " instead of "
          + settings.port());
    }
    log("listening on port " + settings.listenPort() + " " + sinceJvmStart
        + " ms after the JVM started");
    // Readiness is measured once here, for the log; /up checks the database on every call.
    for (int i = 0; i < 600 && !stopping; i++) {
      if (databaseAnswers() == null) {
        log("ready (database answers) " + Lifecycle.millisSinceJvmStart()
            + " ms after the JVM started");
        return;
      }
      sleepQuietly(Duration.ofMillis(100));
    }
  }

  private void stop(HttpServer http, ExecutorService executor) {
    stopping = true;
    long t0 = System.nanoTime();
    log("SIGTERM: no new connections; " + inFlight.get() + " request(s) in flight, up to "
        + settings.stopTimeout().toMillis() + " ms to finish");
    // HttpServer takes whole seconds; it returns as soon as the requests in flight are done.
    http.stop((int) Math.max(1, (settings.stopTimeout().toMillis() + 999) / 1000));
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.close();
    log(String.format(Locale.ROOT, "stopped in %.0f ms; %d request(s) unfinished",
        (System.nanoTime() - t0) / 1e6, inFlight.get()));
    Lifecycle.haltAfterStop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    inFlight.incrementAndGet();
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] body = readBody(exchange);
      if (body == null) {
        send(exchange, 413, "text/plain", "body larger than " + MAX_BODY + " bytes\n");
        return;
      }
      try {
        route(exchange, method, path, new String(body, StandardCharsets.UTF_8));
      } catch (SQLException e) {
        send(exchange, 503, "text/plain", "database: " + oneLine(e.getMessage()) + "\n");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(exchange, 503, "text/plain", "interrupted\n");
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void route(HttpExchange ex, String method, String path, String body)
      throws IOException, SQLException, InterruptedException {
    switch (path) {
      case "/" -> {
        if (get(ex, method)) {
          send(ex, 200, "text/plain", "deploykit sample app " + settings.version() + "\n");
        }
      }
      case "/slow" -> {
        if (get(ex, method)) {
          long ms = slowMillis(ex.getRequestURI().getQuery());
          Thread.sleep(ms);
          send(ex, 200, "text/plain", "slept " + ms + " ms in " + settings.version() + "\n");
        }
      }
      case "/up" -> {
        if (get(ex, method)) {
          up(ex);
        }
      }
      case "/version" -> {
        if (get(ex, method)) {
          send(ex, 200, "application/json", "{\"version\":" + Json.quote(settings.version())
              + ",\"release\":" + (settings.release() == null ? "null" : Json.quote(settings.release()))
              + ",\"instance\":" + Json.quote(instance) + "}\n");
        }
      }
      case "/notes" -> {
        switch (method) {
          case "POST" -> {
            if (body.isBlank()) {
              send(ex, 400, "text/plain", "POST /notes takes the note as its body\n");
              return;
            }
            long id = insert("insert into notes (body, written_by) values (?, ?)", body,
                settings.version() + "@" + instance);
            send(ex, 201, "application/json", "{\"id\":" + id + "}\n");
          }
          case "GET", "HEAD" -> send(ex, 200, "application/json", notes());
          default -> notAllowed(ex, "GET, POST");
        }
      }
      case "/jobs" -> {
        if (!method.equals("POST")) {
          notAllowed(ex, "POST");
        } else if (body.isBlank()) {
          send(ex, 400, "text/plain", "POST /jobs takes the prompt as its body\n");
        } else {
          long id = insert("insert into jobs (prompt) values (?)", body);
          send(ex, 201, "application/json", "{\"id\":" + id + "}\n");
        }
      }
      default -> {
        if (path.startsWith("/jobs/") && get(ex, method)) {
          job(ex, path.substring("/jobs/".length()));
        } else if (!path.startsWith("/jobs/")) {
          send(ex, 404, "text/plain", "no route " + path + "\n");
        }
      }
    }
  }

  private void up(HttpExchange ex) throws IOException {
    if (stopping) {
      send(ex, 503, "text/plain", "stopping\n");
      return;
    }
    switch (settings.fault()) {
      case Fault.NeverHealthy f -> {
        send(ex, 503, "text/plain", "never healthy (" + Fault.ENV + "=never-healthy)\n");
        return;
      }
      case Fault.UnhealthyAfter f -> {
        Instant healthy = firstHealthyAt;
        if (healthy != null && Instant.now().isAfter(healthy.plus(f.after()))) {
          send(ex, 503, "text/plain", "unhealthy since " + healthy.plus(f.after()) + " ("
              + Fault.ENV + "=unhealthy-after:" + f.after() + ")\n");
          return;
        }
      }
      default -> { }
    }
    String problem = databaseAnswers();
    if (problem == null) {
      if (firstHealthyAt == null) {
        firstHealthyAt = Instant.now();
      }
      send(ex, 200, "text/plain", "up\n");
    } else {
      send(ex, 503, "text/plain", "database does not answer: " + problem + "\n");
    }
  }

  /** Null when {@code select 1} succeeds, else what went wrong. */
  private @Nullable String databaseAnswers() {
    try {
      return pool.use(UP_WAIT, c -> {
        try (Statement s = c.createStatement()) {
          s.setQueryTimeout(2);
          s.execute("select 1");
          return null;
        }
      });
    } catch (SQLException e) {
      return oneLine(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private long insert(String sql, String... values) throws SQLException, InterruptedException {
    return pool.use(DB_WAIT, c -> {
      try (PreparedStatement st = c.prepareStatement(sql, new String[] {"id"})) {
        st.setQueryTimeout(10);
        for (int i = 0; i < values.length; i++) {
          st.setString(i + 1, values[i]);
        }
        st.executeUpdate();
        try (ResultSet keys = st.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  private String notes() throws SQLException, InterruptedException {
    return pool.use(DB_WAIT, c -> {
      try (PreparedStatement st = c.prepareStatement(
          "select id, body, written_by from notes order by id desc limit 100")) {
        st.setQueryTimeout(10);
        StringBuilder sb = new StringBuilder("[");
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"id\":").append(rs.getLong(1))
                .append(",\"body\":").append(Json.quote(rs.getString(2)))
                .append(",\"written_by\":").append(Json.quote(rs.getString(3))).append('}');
          }
        }
        return sb.append("]\n").toString();
      }
    });
  }

  private void job(HttpExchange ex, String idText) throws IOException, SQLException, InterruptedException {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      send(ex, 404, "text/plain", "no job " + idText + "\n");
      return;
    }
    String json = pool.use(DB_WAIT, c -> {
      try (PreparedStatement st = c.prepareStatement(
          "select status, result, claimed_by from jobs where id = ?")) {
        st.setQueryTimeout(10);
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          return "{\"id\":" + id + ",\"status\":" + Json.quote(rs.getString(1))
              + ",\"result\":" + (rs.getString(2) == null ? "null" : Json.quote(rs.getString(2)))
              + ",\"claimed_by\":" + (rs.getString(3) == null ? "null" : Json.quote(rs.getString(3)))
              + "}\n";
        }
      }
    });
    if (json == null) {
      send(ex, 404, "text/plain", "no job " + id + "\n");
    } else {
      send(ex, 200, "application/json", json);
    }
  }

  private static long slowMillis(@Nullable String query) {
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("ms=")) {
          try {
            return Math.clamp(Long.parseLong(part.substring(3)), 0, 60_000);
          } catch (NumberFormatException e) {
            return 1000;
          }
        }
      }
    }
    return 1000;
  }

  private static boolean get(HttpExchange ex, String method) throws IOException {
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    notAllowed(ex, "GET");
    return false;
  }

  private static void notAllowed(HttpExchange ex, String allowed) throws IOException {
    ex.getResponseHeaders().set("Allow", allowed);
    send(ex, 405, "text/plain", "method not allowed; use " + allowed + "\n");
  }

  private static byte @Nullable [] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      return bytes.length > MAX_BODY ? null : bytes;
    }
  }

  private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
