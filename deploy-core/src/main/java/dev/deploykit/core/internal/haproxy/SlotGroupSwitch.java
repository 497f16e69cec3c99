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

/**
 * Moves a backend's traffic to a new Swarm release, a service whose tasks Docker's DNS names as
 * {@code tasks.<service>}: every server of the idle slot group takes that name ({@code set server
 * B/S fqdn}) and becomes ready; once as many of them are UP (by HAProxy's own health checks) as
 * the release has replicas, the live group drains, and when its sessions reach zero, or the
 * drain timeout passes, goes into maintenance. HAProxy does not let two servers that share a name
 * take the same address, so the group's servers spread over the tasks' addresses, and its
 * resolver keeps them equal to the running tasks as Swarm reschedules them.
 *
 * <p>Idempotent: switching to the name the only live group already serves does nothing, so a run
 * that crashed after the switch can repeat it.
 *
 * <p>Thread safety: one switch per backend at a time (the release lock ensures it).
 */
public final class SlotGroupSwitch {
  private static final Backoff POLL = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(250));

  private final RuntimeApi api;
  private final TimeSource time;

  public SlotGroupSwitch(RuntimeApi api, TimeSource time) {
    this.api = Objects.requireNonNull(api, "api");
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * What a switch did.
   *
   * @param backend the backend
   * @param liveGroup the group that now serves the new release
   * @param drainedGroup the group that served before, if one did
   * @param upTime from pointing the group at the release to enough of its servers being UP
   * @param drainTime from the old group's drain to its maintenance
   * @param leftSessions sessions still open on the old group when the drain timeout ended it
   * @param unchanged whether the backend already served the release
   */
  public record Result(String backend, String liveGroup, Optional<String> drainedGroup, Duration upTime,
      Duration drainTime, int leftSessions, boolean unchanged) {}

  /**
   * Sends the backend's new requests to the tasks named {@code fqdn} once {@code replicas} of the
   * idle group's servers are UP, then drains the group that served before.
   *
   * @param upTimeout how long HAProxy's checks may take to find {@code replicas} servers UP;
   *     when they do not, the group goes back into maintenance and nothing was switched
   * @throws DeployException when HAProxy cannot be reached, refuses a command, or the new
   *     release's tasks do not come UP in time (the old group still serves)
   */
  public Result switchTo(String backend, String fqdn, int replicas, Duration upTimeout, Duration drainTimeout) {
    return switchTo(backend, fqdn, replicas, upTimeout, drainTimeout, false);
  }

  /**
   * As {@link #switchTo}, but the group that served before ends drained, not in maintenance: it
   * takes no new requests, HAProxy keeps checking its servers, and {@link #hedge} can give its UP
   * servers traffic again at once. For a release in its watch window, whose previous release still
   * runs; {@link #maintenance} retires the group once the release is kept.
   */
  public Result switchKeepingOld(String backend, String fqdn, int replicas, Duration upTimeout,
      Duration drainTimeout) {
    return switchTo(backend, fqdn, replicas, upTimeout, drainTimeout, true);
  }

  private Result switchTo(String backend, String fqdn, int replicas, Duration upTimeout, Duration drainTimeout,
      boolean keepOld) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
    }
    List<ServerStat> all = servers(backend);
    Optional<String> live = liveGroup(all);
    String idle = live.map(g -> g.equals(HaproxyConfig.SLOT_A) ? HaproxyConfig.SLOT_B : HaproxyConfig.SLOT_A)
        .orElse(HaproxyConfig.SLOT_A);
    if (live.isPresent() && serving(all).stream().allMatch(s -> group(s).equals(live.get()))
        && servingName(backend, live.get()).map(fqdn::equals).orElse(false)) {
      return new Result(backend, live.get(), Optional.empty(), Duration.ZERO, Duration.ZERO, 0, true);
    }
    List<ServerStat> idleServers = all.stream().filter(s -> group(s).equals(idle)).toList();
    if (idleServers.size() < replicas) {
      throw new DeployException("HAProxy backend " + backend + " has " + idleServers.size() + " servers in group "
          + idle + " but the release has " + replicas + " replicas: recreate the proxy so that its slot groups"
          + " hold every replica");
    }
    long start = time.nanoTime();
    for (ServerStat s : idleServers) {
      api.set("set server " + backend + "/" + s.server() + " fqdn " + fqdn);
      // A server keeps its check state through maintenance: one that was UP for the release two
      // back would take traffic at once, at an address that may be gone. Forced down, it comes UP
      // only by a check that passed at the new release's address (rise 1).
      api.set("set server " + backend + "/" + s.server() + " health down");
      api.set("set server " + backend + "/" + s.server() + " state ready");
    }
    AwaitResult<List<ServerStat>> up = await(upTimeout,
        () -> group(backend, idle), now -> now.stream().filter(ServerStat::live).count() >= replicas);
    if (!up.isSatisfied()) {
      maintenance(backend, idle);
      throw new DeployException("HAProxy found " + upCount(up) + " of " + replicas + " servers of " + backend
          + " UP at tasks." + fqdn.replaceFirst("^tasks\\.", "") + " within " + upTimeout.toMillis()
          + " ms: the new release's tasks do not pass HAProxy's check; nothing was switched");
    }
    Duration upTime = Duration.ofNanos(time.nanoTime() - start);
    Optional<String> old = serving(servers(backend)).stream().map(SlotGroupSwitch::group)
        .filter(g -> !g.equals(idle)).findFirst();
    if (old.isEmpty()) {
      return new Result(backend, idle, Optional.empty(), upTime, Duration.ZERO, 0, false);
    }
    long drainStart = time.nanoTime();
    int left = drain(backend, old.get(), drainTimeout);
    if (!keepOld) {
      maintenance(backend, old.get());
    }
    return new Result(backend, idle, old, upTime, Duration.ofNanos(time.nanoTime() - drainStart), left, false);
  }

  /**
   * Gives the drained group's servers new requests again, beside the live group's, without
   * waiting: those HAProxy finds UP take traffic at once. The insurance of a watch window: a
   * release whose servers start failing their checks shares the traffic with the release before
   * it, so that when HAProxy takes its servers out, requests still have a server.
   *
   * @return how many of the group's servers are UP now
   */
  public long hedge(String backend, String group) {
    for (ServerStat s : group(backend, group)) {
      if (!s.maintenance()) {
        api.set("set server " + backend + "/" + s.server() + " state ready");
      }
    }
    return group(backend, group).stream().filter(ServerStat::live).count();
  }

  /** Takes a {@linkplain #hedge hedged} group's servers out of new traffic again (drained). */
  public void unhedge(String backend, String group) {
    for (ServerStat s : group(backend, group)) {
      if (!s.maintenance()) {
        api.set("set server " + backend + "/" + s.server() + " state drain");
      }
    }
  }

  /**
   * Gives the backend back to the group that served before a release ({@code kept}, drained or
   * {@linkplain #hedge hedged}, its tasks still running), then drains the release's group ({@code
   * bad}) into maintenance. Nothing is re-resolved or forced down: the kept group's servers serve
   * as soon as HAProxy's checks, which never stopped, find them UP.
   *
   * @param replicas how many of the kept group's servers must be UP before the release's group drains
   * @throws DeployException when fewer than {@code replicas} of the kept group's servers are UP
   *     within {@code upTimeout}: the kept group is drained again and the release's group still
   *     serves
   */
  public Result fallBack(String backend, String kept, String bad, int replicas, Duration upTimeout,
      Duration drainTimeout) {
    long start = time.nanoTime();
    hedge(backend, kept);
    AwaitResult<List<ServerStat>> up = await(upTimeout,
        () -> group(backend, kept), now -> now.stream().filter(ServerStat::live).count() >= replicas);
    if (!up.isSatisfied()) {
      unhedge(backend, kept);
      throw new DeployException("HAProxy found " + upCount(up) + " of " + replicas + " servers of " + backend
          + " group " + kept + " UP within " + upTimeout.toMillis() + " ms: the release before cannot take"
          + " the traffic back; the new release still serves");
    }
    Duration upTime = Duration.ofNanos(time.nanoTime() - start);
    long drainStart = time.nanoTime();
    int left = drain(backend, bad, drainTimeout);
    maintenance(backend, bad);
    return new Result(backend, kept, Optional.of(bad), upTime, Duration.ofNanos(time.nanoTime() - drainStart),
        left, false);
  }

  /** Drains the group and waits for its sessions to end; returns the sessions left at the timeout. */
  private int drain(String backend, String group, Duration drainTimeout) {
    for (ServerStat s : group(backend, group)) {
      if (!s.maintenance()) {
        api.set("set server " + backend + "/" + s.server() + " state drain");
      }
    }
    AwaitResult<List<ServerStat>> drained = await(drainTimeout, () -> group(backend, group),
        now -> now.stream().allMatch(s -> s.sessions() == 0 && s.queued() == 0));
    return switch (drained.last()) {
      case Observed.Value<List<ServerStat>> v -> v.value().stream().mapToInt(s -> s.sessions() + s.queued()).sum();
      case Observed.Failure<List<ServerStat>> f -> throw new DeployException("Draining " + backend + " group "
          + group + " failed: " + f.describe(), f.error());
    };
  }

  /** The group's servers that are not in maintenance: those that serve, drain, or are DOWN. */
  public List<ServerStat> serving(String backend, String group) {
    return serving(group(backend, group));
  }

  /** The group ({@code a} or {@code b}) whose servers take traffic, if one does. */
  public Optional<String> liveGroup(String backend) {
    return liveGroup(servers(backend));
  }

  /** The backend's servers that take traffic (ready or draining). */
  public List<ServerStat> serving(String backend) {
    return serving(servers(backend));
  }

  /** Puts every server of the group into maintenance: it takes no new requests. */
  public void maintenance(String backend, String group) {
    for (ServerStat s : group(backend, group)) {
      // Only an operator's MAINT stays: a server in MAINT (resolution) has no address now, but is
      // ready, and would take traffic the moment the old release's name resolves again (a task
      // Swarm starts for it, as during a node's drain).
      if (!s.status().equals("MAINT")) {
        api.set("set server " + backend + "/" + s.server() + " state maint");
      }
    }
  }

  /** The name the group's first server resolves ({@code tasks.<service>}), from {@code show servers state}. */
  public Optional<String> servingName(String backend, String group) {
    String state = api.execute("show servers state " + backend);
    List<String> lines = state.lines().filter(l -> !l.isBlank()).toList();
    // Line 1 is the format version, line 2 the header; the header names the fields.
    Optional<String> header = lines.stream().filter(l -> l.startsWith("# be_id")).findFirst();
    if (header.isEmpty()) {
      return Optional.empty();
    }
    List<String> fields = List.of(header.get().substring(2).split(" "));
    int name = fields.indexOf("srv_name");
    int fqdnField = fields.indexOf("srv_fqdn");
    if (name < 0 || fqdnField < 0) {
      return Optional.empty();
    }
    return lines.stream().filter(l -> !l.startsWith("#")).map(l -> l.split(" "))
        .filter(f -> f.length > fqdnField && f[name].equals(group + "1"))
        .map(f -> f[fqdnField]).filter(v -> !v.equals("-")).findFirst();
  }

  private AwaitResult<List<ServerStat>> await(Duration timeout, java.util.function.Supplier<List<ServerStat>> read,
      java.util.function.Predicate<List<ServerStat>> done) {
    try {
      return Await.atMost(timeout).backoff(POLL).timeSource(time).until(deadline -> read.get(), done);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while switching HAProxy"
          + " between slot groups; rerun the deploy to converge", e);
    }
  }

  private static long upCount(AwaitResult<List<ServerStat>> result) {
    return switch (result.last()) {
      case Observed.Value<List<ServerStat>> v -> v.value().stream().filter(ServerStat::live).count();
      case Observed.Failure<List<ServerStat>> f -> 0;
    };
  }

  private static Optional<String> liveGroup(List<ServerStat> all) {
    return all.stream().filter(ServerStat::live).map(SlotGroupSwitch::group).findFirst()
        .or(() -> serving(all).stream().map(SlotGroupSwitch::group).findFirst());
  }

  private static List<ServerStat> serving(List<ServerStat> all) {
    return all.stream().filter(s -> !s.maintenance()).toList();
  }

  private List<ServerStat> group(String backend, String group) {
    return servers(backend).stream().filter(s -> group(s).equals(group)).toList();
  }

  /** {@code a} for a1..aK, {@code b} for b1..bK. */
  static String group(ServerStat s) {
    return s.server().replaceFirst("\\d+$", "");
  }

  private List<ServerStat> servers(String backend) {
    return api.servers(backend);
  }
}
