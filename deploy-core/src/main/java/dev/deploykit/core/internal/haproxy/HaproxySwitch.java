package dev.deploykit.core.internal.haproxy;

import dev.deploykit.core.DeployException;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.Observed;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Moves a backend's traffic to a new server: the idle slot takes the new address and becomes
 * ready (new requests go there at once), the live slot drains (it takes no new requests and
 * finishes the open ones), and once its sessions reach zero, or the drain timeout passes, it goes
 * into maintenance. Nothing is reloaded and no connection is cut.
 *
 * <p>Idempotent: switching to the address the live slot already serves does nothing, so a run
 * that crashed after the switch can repeat it.
 *
 * <p>Every state change is confirmed by reading the slot back, and sent once more when HAProxy
 * did not take it: a Runtime API connection that breaks (a forward over SSH whose connection
 * drops) reads as an empty answer, which is also what a successful {@code set} answers. The old
 * server is drained only once the new one is confirmed to serve, and reported drained only once
 * it is confirmed in maintenance.
 *
 * <p>Thread safety: one switch per backend at a time (the release lock ensures it).
 */
public final class HaproxySwitch {
  private static final Backoff DRAIN_POLL =
      Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(200));

  private final RuntimeApi api;
  private final TimeSource time;

  public HaproxySwitch(RuntimeApi api, TimeSource time) {
    this.api = Objects.requireNonNull(api, "api");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * What a switch did.
   *
   * @param backend the backend
   * @param liveSlot the slot that now serves the new address
   * @param drainedSlot the slot that served before, if one did
   * @param switchTime from the first command to the new server taking traffic
   * @param drainTime from the old server's drain to its maintenance
   * @param leftSessions sessions still open on the old server when the drain timeout ended it (0
   *     when it drained cleanly)
   * @param unchanged whether the backend already served the address
   */
  public record Result(String backend, String liveSlot, @Nullable String drainedSlot,
      Duration switchTime, Duration drainTime, int leftSessions, boolean unchanged) {}

  /**
   * Sends the backend's new requests to {@code host:port} and drains the previous server.
   *
   * @throws DeployException when HAProxy cannot be reached or refuses a command
   */
  public Result switchTo(String backend, String host, int port, Duration drainTimeout) {
    long start = time.nanoTime();
    List<ServerStat> slots = slots(backend);
    String wanted = host + ":" + port;
    Optional<ServerStat> live = slots.stream().filter(s -> !s.maintenance()).findFirst();
    if (live.isPresent() && live.get().address().equals(wanted)
        && slots.stream().filter(s -> !s.maintenance()).count() == 1) {
      return new Result(backend, live.get().server(), null, Duration.ZERO, Duration.ZERO, 0, true);
    }
    ServerStat target = slots.stream()
        .filter(s -> s.address().equals(wanted)).findFirst()
        .or(() -> slots.stream().filter(ServerStat::maintenance).findFirst())
        .orElseThrow(() -> new DeployException("HAProxy backend " + backend
            + " has no idle slot: both serve traffic; a previous switch was cut short. Rerun"
            + " the deploy to converge"));
    String slot = backend + "/" + target.server();
    List<String> ready = List.of("set server " + slot + " addr " + host + " port " + port, "set server " + slot + " state ready");
    ready.forEach(api::set);
    Duration switchTime = Duration.ofNanos(time.nanoTime() - start);
    confirm(backend, target.server(), s -> s.address().equals(wanted) && !s.maintenance(), "serve " + wanted, ready);

    ServerStat old = slots.stream()
        .filter(s -> !s.server().equals(target.server()) && !s.maintenance())
        .findFirst().orElse(null);
    if (old == null) {
      return new Result(backend, target.server(), null, switchTime, Duration.ZERO, 0, false);
    }
    long drainStart = time.nanoTime();
    List<String> drain = List.of("set server " + backend + "/" + old.server() + " state drain");
    drain.forEach(api::set);
    confirm(backend, old.server(), s -> !s.live(), "drain", drain);
    AwaitResult<ServerStat> drained;
    try {
      drained = Await.atMost(drainTimeout).backoff(DRAIN_POLL).timeSource(time)
          .until(deadline -> slot(backend, old.server()), s -> s.sessions() == 0 && s.queued() == 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while draining " + backend
          + "/" + old.server() + "; the new server already takes traffic. Rerun the deploy to finish the drain", e);
    }
    int left = switch (drained.last()) {
      case Observed.Value<ServerStat> v -> v.value().sessions() + v.value().queued();
      case Observed.Failure<ServerStat> f -> throw new DeployException("Draining " + backend + "/"
          + old.server() + " failed: " + f.describe(), f.error());
    };
    List<String> maint = List.of("set server " + backend + "/" + old.server() + " state maint");
    maint.forEach(api::set);
    confirm(backend, old.server(), ServerStat::maintenance, "go into maintenance", maint);
    return new Result(backend, target.server(), old.server(), switchTime,
        Duration.ofNanos(time.nanoTime() - drainStart), left, false);
  }

  /**
   * Takes every server of the backend out of service, for a stack that is being torn down.
   */
  public void stopAll(String backend) {
    for (ServerStat s : slots(backend)) {
      api.set("set server " + backend + "/" + s.server() + " state maint");
    }
  }

  /**
   * The backend's slots that take traffic (ready or draining), in slot order: one after a
   * finished switch, two when a switch was cut short.
   */
  public List<ServerStat> serving(String backend) {
    return slots(backend).stream().filter(s -> !s.maintenance()).toList();
  }

  /**
   * Leaves the slot serving {@code address} the backend's only server, ready, and puts every
   * other slot into maintenance (their open requests finish; they get no new ones): settles a
   * switch that was cut short.
   *
   * @throws DeployException when no slot has that address, or HAProxy refuses a command
   */
  public void keepOnly(String backend, String address) {
    List<ServerStat> slots = slots(backend);
    ServerStat keep = slots.stream().filter(s -> s.address().equals(address)).findFirst()
        .orElseThrow(() -> new DeployException("HAProxy backend " + backend + " has no slot at " + address));
    api.set("set server " + backend + "/" + keep.server() + " state ready");
    for (ServerStat s : slots) {
      if (!s.server().equals(keep.server()) && !s.maintenance()) {
        api.set("set server " + backend + "/" + s.server() + " state maint");
      }
    }
  }

  /** The address the backend's live slot serves, if one does. */
  public Optional<String> liveAddress(String backend) {
    return slots(backend).stream().filter(s -> !s.maintenance()).map(ServerStat::address).findFirst();
  }

  /**
   * Reads the slot back and, when it is not as {@code done} expects, sends {@code commands} once
   * more (each is idempotent) and reads it again.
   *
   * @throws DeployException when HAProxy still did not take them
   */
  private void confirm(String backend, String server, Predicate<ServerStat> done, String what, List<String> commands) {
    ServerStat now = slot(backend, server);
    if (done.test(now)) {
      return;
    }
    commands.forEach(api::set);
    now = slot(backend, server);
    if (!done.test(now)) {
      throw new DeployException("HAProxy did not take \"" + String.join("; ", commands) + "\": " + backend + "/"
          + server + " is " + now.status() + " at " + now.address() + " instead of being made to " + what
          + ". Rerun the deploy to converge");
    }
  }

  private List<ServerStat> slots(String backend) {
    return api.servers(backend);
  }

  private ServerStat slot(String backend, String server) {
    return slots(backend).stream().filter(s -> s.server().equals(server)).findFirst()
        .orElseThrow(() -> new DeployException("HAProxy backend " + backend + " lost server " + server));
  }
}
