package dev.deploykit.sample.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The sample stack's worker: takes queued jobs from PostgreSQL, asks an Ollama-API service to
 * generate an answer to each prompt, stores it and marks the job done, exactly once.
 *
 * <p>How a job is done exactly once: the worker selects the oldest queued job with {@code FOR
 * UPDATE SKIP LOCKED} in a transaction and keeps that transaction (and so the row lock) while it
 * asks the LLM; it then sets {@code status = 'done'} and commits. Other workers skip the locked
 * row; a worker that dies mid-job loses its connection, its transaction rolls back and the job is
 * queued again for another worker; a job that is done is never selected again.
 *
 * <p>Its heartbeat: every {@code HEARTBEAT_INTERVAL} it upserts its row of {@code
 * worker_heartbeats} (worker, version, state, started_at, last_beat, jobs_done), which deploykit's
 * worker check reads with {@code select last_beat from worker_heartbeats where worker = ?}.
 *
 * <p>On SIGTERM it takes no new job, finishes the one in hand (up to {@code STOP_TIMEOUT}),
 * records its state {@code stopped} and exits 0. Settings: {@link WorkerSettings}.
 */
public final class SampleWorker {
  private static final String CLAIM = "select id, prompt from jobs where status = 'queued'"
      + " order by id limit 1 for update skip locked";
  private static final String COMPLETE = "update jobs set status = 'done', result = ?, model = ?,"
      + " claimed_by = ?, done_at = clock_timestamp() where id = ? and status = 'queued'";
  private static final String BEAT = "insert into worker_heartbeats"
      + " (worker, version, state, started_at, last_beat, jobs_done)"
      + " values (?, ?, ?, ?, clock_timestamp(), ?) on conflict (worker) do update set"
      + " version = excluded.version, state = excluded.state, last_beat = excluded.last_beat,"
      + " jobs_done = excluded.jobs_done";

  private final WorkerSettings settings;
  private final OllamaClient ollama;
  private final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch loopEnded = new CountDownLatch(1);
  private final AtomicLong jobsDone = new AtomicLong();
  private volatile @Nullable Long jobInHand;
  private volatile String state = "running";
  private @Nullable Connection jobs;
  private @Nullable Connection beats;

  private SampleWorker(WorkerSettings settings) {
    this.settings = settings;
    this.ollama = new OllamaClient(settings.ollamaUrl(), settings.model(), settings.numPredict(),
        settings.ollamaTimeout());
  }

  /**
   * The class-path entries the worker runs from (its own classes and pgjdbc): what its image
   * carries. Used by the image recipe in {@code deploykit-images}.
   */
  public static List<Path> classPath() {
    List<Path> entries = new ArrayList<>();
    for (Class<?> c : List.of(SampleWorker.class, org.postgresql.Driver.class)) {
      try {
        Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!entries.contains(p)) {
          entries.add(p);
        }
      } catch (URISyntaxException | NullPointerException e) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName(), e);
      }
    }
    return List.copyOf(entries);
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--version")) {
      // Also the image build's class-data-sharing run: touch what a real start loads.
      Class.forName("org.postgresql.Driver");
      Json.parse("{\"response\":\"x\",\"done\":true}");
      System.out.println(WorkerSettings.fromEnvironment(System.getenv()).version());
      return;
    }
    WorkerSettings settings;
    try {
      settings = WorkerSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      log("refusing to start: " + e.getMessage());
      System.exit(2);
      return;
    }
    log("deploykit sample worker " + settings.version() + " starting: " + settings);
    SampleWorker worker = new SampleWorker(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(worker::stop, "sample-worker-stop"));
    Thread heart = new Thread(worker::beatLoop, "sample-worker-heartbeat");
    heart.setDaemon(true);
    heart.start();
    worker.workLoop();
  }

  private void workLoop() {
    Duration backoff = Duration.ZERO;
    boolean announced = false;
    try {
      while (stopRequested.getCount() > 0) {
        if (!backoff.isZero() && pause(backoff)) {
          break;
        }
        try {
          Connection c = jobsConnection();
          if (!announced) {
            announced = true;
            log("ready (database answers) " + (System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime()) + " ms after the JVM started");
          }
          boolean worked = doOneJob(c);
          backoff = Duration.ZERO;
          if (!worked && pause(settings.pollInterval())) {
            break;
          }
        } catch (SQLException e) {
          log("database: " + oneLine(e.getMessage()) + "; reconnecting");
          closeJobsConnection();
          backoff = grow(backoff);
        } catch (IOException e) {
          log("LLM: " + oneLine(e.getMessage()) + "; the job stays queued");
          backoff = grow(backoff);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeJobsConnection();
      loopEnded.countDown();
    }
  }

  /** Claims, generates and completes one job; false when none is queued. */
  private boolean doOneJob(Connection c) throws SQLException, IOException, InterruptedException {
    long id;
    String prompt;
    try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
      claim.setQueryTimeout(10);
      try (ResultSet rs = claim.executeQuery()) {
        if (!rs.next()) {
          c.commit();
          return false;
        }
        id = rs.getLong(1);
        prompt = rs.getString(2);
      }
    }
    jobInHand = id;
    boolean committed = false;
    try {
      long t0 = System.nanoTime();
      OllamaClient.Generation answer = ollama.generate(prompt);
      try (PreparedStatement done = c.prepareStatement(COMPLETE)) {
        done.setQueryTimeout(10);
        done.setString(1, storable(answer.response()));
        done.setString(2, answer.model());
        done.setString(3, settings.workerId());
        done.setLong(4, id);
        if (done.executeUpdate() != 1) {
          throw new SQLException("job " + id + " was no longer queued while its row was locked");
        }
      }
      c.commit();
      committed = true;
      jobsDone.incrementAndGet();
      log(String.format(Locale.ROOT, "done job %d by %s in %.0f ms", id, settings.workerId(),
          (System.nanoTime() - t0) / 1e6));
      return true;
    } finally {
      jobInHand = null;
      if (!committed) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // The connection is closed and replaced by the caller; the server rolls back.
        }
      }
    }
  }

  /**
   * The answer as PostgreSQL can store it in a {@code text} column, which refuses the NUL
   * character; a model may well generate one (the tiny test model's byte tokens do).
   */
  static String storable(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
  }

  private void beatLoop() {
    while (true) {
      beat(state);
      try {
        if (stopRequested.await(settings.heartbeatInterval().toNanos(), TimeUnit.NANOSECONDS)) {
          // The stop path beats by itself from now on.
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void beat(String newState) {
    state = newState;
    try {
      if (beats == null || beats.isClosed()) {
        beats = DriverManager.getConnection(settings.dbUrl(), settings.jdbcProperties());
      }
      try (PreparedStatement st = beats.prepareStatement(BEAT)) {
        st.setQueryTimeout(5);
        st.setString(1, settings.workerId());
        st.setString(2, settings.version());
        st.setString(3, newState);
        st.setObject(4, startedAt);
        st.setLong(5, jobsDone.get());
        st.executeUpdate();
      }
    } catch (SQLException e) {
      log("heartbeat: " + oneLine(e.getMessage()));
      closeQuietly(beats);
      beats = null;
    }
  }

  private void stop() {
    long t0 = System.nanoTime();
    Long inHand = jobInHand;
    log("SIGTERM: taking no new job; " + (inHand == null ? "no job in hand"
        : "finishing job " + inHand) + " (up to " + settings.stopTimeout().toMillis() + " ms)");
    stopRequested.countDown();
    beat("stopping");
    boolean ended;
    try {
      ended = loopEnded.await(settings.stopTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      ended = false;
    }
    if (ended) {
      beat("stopped");
    } else {
      log("the job in hand did not finish within " + settings.stopTimeout().toMillis()
          + " ms; exiting anyway, its transaction rolls back and the job is queued again");
    }
    synchronized (this) {
      closeQuietly(beats);
    }
    log(String.format(Locale.ROOT, "stopped in %.0f ms after %d job(s)",
        (System.nanoTime() - t0) / 1e6, jobsDone.get()));
    System.out.flush();
    // A SIGTERM'd JVM would exit 143; a clean stop exits 0, as the release engine expects.
    Runtime.getRuntime().halt(ended ? 0 : 1);
  }

  private Connection jobsConnection() throws SQLException {
    Connection c = jobs;
    if (c == null || c.isClosed()) {
      c = DriverManager.getConnection(settings.dbUrl(), settings.jdbcProperties());
      c.setAutoCommit(false);
      jobs = c;
    }
    return c;
  }

  private void closeJobsConnection() {
    closeQuietly(jobs);
    jobs = null;
  }

  /** Waits, returning true as soon as a stop is requested. */
  private boolean pause(Duration d) throws InterruptedException {
    return stopRequested.await(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static Duration grow(Duration backoff) {
    Duration next = backoff.isZero() ? Duration.ofMillis(250) : backoff.multipliedBy(2);
    return next.compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5) : next;
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing is left to release.
      }
    }
  }

  private static String oneLine(@Nullable String message) {
    return message == null ? "no message" : message.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  static void log(String line) {
    System.out.println(Instant.now() + " " + line);
  }
}
