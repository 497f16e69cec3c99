package dev.deploykit.core.internal.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.deploykit.core.internal.haproxy.ServerStat;
import dev.deploykit.core.internal.haproxy.SlotGroupSwitch;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The watch window of a web release on a Swarm cluster, after its switch: every 500 ms the
 * proxy's serving servers of the backend are read, and a release counts as turned unhealthy when
 * fewer of them are fully UP (by HAProxy's own checks of the health path) than the release has
 * replicas, four reads in a row. A server whose last check failed but that HAProxy still routes to
 * ({@code UP 1/2}, one more failure takes it out) counts as not UP. A single failed check shows as
 * {@code UP 1/2} for one check interval (1 s) and four reads span at least 1.5 s, so one failed
 * check does not roll a release back (two reads did, in an IT: a healthy rollback target turned
 * back); one good read resets the count. From the first short read on, the release before serves
 * beside it (hedged), so the reads that confirm a bad release cost no request. The report names
 * the servers that are not UP and the newest task error Swarm has for the service.
 *
 * <p>Thread safety: one watch at a time per instance.
 */
public final class SwarmWatch {
  /** Consecutive short reads that count as "turned unhealthy". */
  static final int FAILURES = 4;
  static final Duration INTERVAL = Duration.ofMillis(500);

  private final SlotGroupSwitch proxy;
  private final SwarmServices services;
  private final TimeSource time;

  public SwarmWatch(SlotGroupSwitch proxy, SwarmServices services, TimeSource time) {
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.services = Objects.requireNonNull(services, "services");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * Watches {@code service}, served by {@code liveGroup} of {@code backend}, for {@code window}.
   * While a read finds the release short of fully UP servers, the group that served before
   * ({@code held}, drained, its tasks still running) is {@linkplain SlotGroupSwitch#hedge hedged}:
   * it takes traffic beside the release, so that a release whose servers HAProxy takes out does not
   * leave the backend without a server. A good read drains it again.
   *
   * @param held the drained group of the release before, if there is one
   * @return why it turned unhealthy, with the held group still hedged (serving); empty when it
   *     stayed healthy through the window, the held group drained
   * @throws InterruptedException when interrupted
   */
  public Optional<String> watch(String backend, String liveGroup, Optional<String> held, String service,
      int replicas, Duration window) throws InterruptedException {
    AtomicInteger shortInARow = new AtomicInteger();
    AtomicBoolean hedged = new AtomicBoolean();
    // Cut short (interrupted, or the proxy unreadable), a hedged group stays hedged: both releases
    // serve, HAProxy's checks keep the failing servers out, and the next run's switch converges.
    AwaitResult<List<ServerStat>> result = Await.atMost(window).backoff(Backoff.fixed(INTERVAL)).timeSource(time)
        .until(deadline -> {
          List<ServerStat> serving = proxy.serving(backend, liveGroup);
          boolean isShort = up(serving) < replicas;
          shortInARow.set(isShort ? shortInARow.get() + 1 : 0);
          if (held.isPresent() && isShort != hedged.get()) {
            if (isShort) {
              proxy.hedge(backend, held.get());
            } else {
              proxy.unhedge(backend, held.get());
            }
            hedged.set(isShort);
          }
          return serving;
        }, serving -> shortInARow.get() >= FAILURES);
    if (!(result instanceof AwaitResult.Satisfied<List<ServerStat>> s)) {
      if (hedged.get()) {
        proxy.unhedge(backend, held.orElseThrow());
      }
      return Optional.empty();
    }
    return Optional.of(unhealthy(s.value(), replicas) + newestTaskError(service));
  }

  private static long up(List<ServerStat> serving) {
    return serving.stream().filter(SwarmWatch::fullyUp).count();
  }

  /** UP with no failed check pending ({@code UP 1/2} is on its way down), or UP without checks. */
  static boolean fullyUp(ServerStat s) {
    return s.status().equals("UP") || s.status().equals("no check");
  }

  /** {@code 1 of 2 servers UP in the proxy after 3 reads in a row (a2 DOWN ...)}. */
  static String unhealthy(List<ServerStat> serving, int replicas) {
    List<String> notUp = serving.stream().filter(s -> !fullyUp(s))
        .map(s -> s.server() + " " + s.status() + (s.address().isEmpty() ? "" : " at " + s.address())).toList();
    return up(serving) + " of " + replicas + " servers UP in the proxy (by its checks of the health path), "
        + FAILURES + " reads in a row" + (notUp.isEmpty() ? "" : " (" + String.join(", ", notUp) + ")");
  }

  private String newestTaskError(String service) {
    try {
      return services.tasks(service).stream()
          .filter(SwarmWatch::ended)
          .max(Comparator.comparing(t -> String.valueOf(t.getStatus().getTimestamp())))
          .map(t -> "; Swarm's newest failed task: " + TaskGate.describe(t, services.nodeNames()))
          .orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** A task past running: failed, shut down, rejected or gone with its node. */
  private static boolean ended(Task t) {
    return t.getStatus() != null && t.getStatus().getState() != null
        && t.getStatus().getState().ordinal() > TaskState.RUNNING.ordinal();
  }
}
