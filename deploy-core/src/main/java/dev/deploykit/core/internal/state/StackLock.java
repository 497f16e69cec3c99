package dev.deploykit.core.internal.state;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.LockInfo;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's deploy lock: a container named {@code <stack>-deploykit-lock}, created (never
 * started) with labels naming its owner. The engine refuses a second container of the same
 * name, which makes taking the lock atomic on any host and over any transport.
 *
 * <p>The lock is a lease: while the run lives, a virtual thread rewrites the lock's
 * {@code /lease} file (the renewal instant) every third of the lease. A run finds the holder
 * provably gone when its lease has not been renewed for two lease periods (the second period
 * absorbs clock skew between machines), or when it ran on this machine (same machine id) and
 * its process no longer exists (or is a zombie, or is another process under a reused pid). Such a
 * lock is taken over: the stale container is removed by its id, so two runs that both found it
 * stale cannot both win (the second create fails and reports the first as the holder). A live
 * holder is never overridden.
 */
public final class StackLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StackLock.class);
  /** How long a lease lasts without renewal; renewed every third of it. */
  public static final Duration LEASE = Duration.ofSeconds(30);
  private static final String LEASE_FILE = "/lease";
  private static final int REMOVE_ATTEMPTS = 3;

  private final DockerHost host;
  /** The id of the lock container this run made (a lock broken and taken again is another one). */
  private final String container;
  private final LockInfo info;
  private final @Nullable TakeOver takenOver;
  private final Thread renewer;
  private volatile boolean released;

  /** A lock taken over from a holder that was provably gone: who, and how we know. */
  public record TakeOver(LockInfo previous, String why) {}

  private StackLock(DockerHost host, String container, LockInfo info, @Nullable TakeOver takenOver,
      Clock clock) {
    this.host = host;
    this.container = container;
    this.info = info;
    this.takenOver = takenOver;
    this.renewer = Thread.ofVirtual().name("deploykit-lock-lease-" + info.stack()).unstarted(() -> renew(clock));
  }

  /**
   * Takes the lock, taking it over from a holder that is provably gone.
   *
   * @param image any image present on the host (the lock container never runs)
   * @throws LockHeldException naming the holder when a live run has it
   */
  public static StackLock acquire(DockerHost host, String stack, String image, String owner,
      String operation, Clock clock) {
    LockInfo info = new LockInfo(stack, owner, ThisProcess.hostName(), ThisProcess.pid(), operation,
        clock.instant());
    String name = StackNames.lockContainer(stack);
    TakeOver takeOver = null;
    String id;
    for (int attempt = 0; ; attempt++) {
      try {
        id = host.create(ContainerSpec.builder(name, image).labels(labels(info))
            .command(List.of("deploykit-lock")).entrypoint(List.of("true")).build());
        break;
      } catch (DeployException e) {
        Optional<ContainerState> holder = host.inspect(name, StackNames.network(stack));
        if (holder.isEmpty()) {
          if (attempt < 2) {
            continue; // freed between our create and our look: try again
          }
          throw e;
        }
        LockInfo held = info(holder.get());
        if (held.equals(info)) {
          // Our own create went through although its answer was lost (a timeout): the lock is ours.
          id = holder.get().id();
          break;
        }
        Optional<String> gone = goneBecause(host, holder.get(), held, clock);
        if (gone.isEmpty() || attempt >= 2) {
          throw new LockHeldException(held, ownerGone(held));
        }
        log.warn("Taking over the lock of {}: {}", stack, gone.get());
        host.remove(holder.get().id());
        takeOver = new TakeOver(held, gone.get());
      }
    }
    StackLock lock = new StackLock(host, id, info, takeOver, clock);
    try {
      lock.writeLease(clock.instant());
    } catch (RuntimeException e) {
      // Not ours to hold without a lease: left behind, it would read as a live holder (this process).
      try {
        lock.close();
      } catch (RuntimeException notFreed) {
        e.addSuppressed(notFreed);
      }
      throw e;
    }
    lock.renewer.start();
    return lock;
  }

  /** Who holds the stack's lock, if anyone. */
  public static Optional<LockInfo> read(DockerHost host, String stack) {
    return host.inspect(StackNames.lockContainer(stack), StackNames.network(stack)).map(StackLock::info);
  }

  /** Whether the holder's process is known to be gone: same machine, no such process. */
  public static boolean ownerGone(LockInfo holder) {
    return holder.host().equals(ThisProcess.hostName()) && !ThisProcess.alive(holder.pid());
  }

  /** Breaks the lock, whoever holds it. For an operator who checked that its owner is gone. */
  public static void forceRelease(DockerHost host, String stack) {
    host.remove(StackNames.lockContainer(stack));
  }

  /** Why the holder is provably gone, or empty while it may live. */
  private static Optional<String> goneBecause(DockerHost host, ContainerState lock, LockInfo held, Clock clock) {
    if (lock.label(LockLabels.MACHINE).filter(ThisProcess.machineId()::equals).isPresent()) {
      if (!lock.label(LockLabels.BOOT).filter(ThisProcess.bootId()::equals).isPresent()) {
        return Optional.of("its owner " + held.describe() + " ran on this machine before its last boot");
      }
      Optional<Instant> started = lock.label(LockLabels.PID_START).flatMap(StackLock::instant);
      Optional<Long> ticks = lock.label(LockLabels.PID_START_TICKS).flatMap(StackLock::number);
      if (!ThisProcess.alive(held.pid(), ticks.orElse(null), started.orElse(null))) {
        return Optional.of("its owner " + held.describe() + " ran on this machine and its process"
            + " no longer exists");
      }
      return Optional.empty();
    }
    Instant renewed = host.readFile(lock.id(), LEASE_FILE)
        .flatMap(b -> instant(new String(b, StandardCharsets.UTF_8).trim()))
        .orElse(held.since());
    Duration lease = lock.label(LockLabels.LEASE).map(Long::parseLong).map(Duration::ofMillis).orElse(LEASE);
    Duration silent = Duration.between(renewed, clock.instant());
    if (silent.compareTo(lease.multipliedBy(2)) > 0) {
      return Optional.of("its owner " + held.describe() + " has not renewed its " + lease.toSeconds()
          + " s lease for " + silent.toSeconds() + " s");
    }
    return Optional.empty();
  }

  private static Optional<Long> number(String text) {
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** What this run holds. */
  public LockInfo info() {
    return info;
  }

  /** The holder this run took the lock over from, if it did. */
  public Optional<TakeOver> takenOver() {
    return Optional.ofNullable(takenOver);
  }

  private void renew(Clock clock) {
    long every = LEASE.toMillis() / 3;
    while (!released) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      if (!released) {
        try {
          writeLease(clock.instant());
        } catch (RuntimeException e) {
          if (!released) { // a write cut short by close() is no failure
            log.warn("Could not renew the lock lease of {}: {}", info.stack(), e.getMessage());
          }
        }
      }
    }
  }

  private void writeLease(Instant now) {
    host.writeFile(container, LEASE_FILE, (now + "\n").getBytes(StandardCharsets.UTF_8), 0644);
  }

  /**
   * Frees the lock (once); the renewal stops. A lock that was broken meanwhile
   * ({@link #forceRelease}) and taken by another run stays that run's. A removal that fails is
   * tried again: a lock left behind names this live process, which no run takes over.
   *
   * @throws DeployException when the engine refused the removal {@value #REMOVE_ATTEMPTS} times
   */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    renewer.interrupt();
    for (int attempt = 1; ; attempt++) {
      try {
        host.remove(container);
        return;
      } catch (DeployException e) {
        if (attempt >= REMOVE_ATTEMPTS || e.reason() == DeployException.Reason.INTERRUPTED) {
          throw e;
        }
        log.warn("Could not free the lock of {} (attempt {}): {}", info.stack(), attempt, e.getMessage());
      }
    }
  }

  private static Map<String, String> labels(LockInfo info) {
    Map<String, String> labels = StackNames.labels(info.stack(), StackNames.KIND_LOCK);
    labels.put(LockLabels.OWNER, info.owner());
    labels.put(LockLabels.HOST, info.host());
    labels.put(LockLabels.PID, Long.toString(info.pid()));
    ThisProcess.startInstant().ifPresent(i -> labels.put(LockLabels.PID_START, i.toString()));
    ThisProcess.startTicks().ifPresent(t -> labels.put(LockLabels.PID_START_TICKS, Long.toString(t)));
    labels.put(LockLabels.MACHINE, ThisProcess.machineId());
    labels.put(LockLabels.BOOT, ThisProcess.bootId());
    labels.put(LockLabels.OPERATION, info.operation());
    labels.put(LockLabels.SINCE, info.since().toString());
    labels.put(LockLabels.LEASE, Long.toString(LEASE.toMillis()));
    return labels;
  }

  private static LockInfo info(ContainerState c) {
    return new LockInfo(
        c.label(StackNames.LABEL_STACK).orElse("?"),
        c.label(LockLabels.OWNER).orElse("unknown"),
        c.label(LockLabels.HOST).orElse("unknown"),
        c.label(LockLabels.PID).map(Long::parseLong).orElse(-1L),
        c.label(LockLabels.OPERATION).orElse("unknown"),
        c.label(LockLabels.SINCE).flatMap(StackLock::instant).orElse(Instant.EPOCH));
  }

  /** This machine's name, for locks and owners. */
  public static String thisHost() {
    return ThisProcess.hostName();
  }

  /** The labels of the lock container. */
  private static final class LockLabels {
    static final String OWNER = "dev.deploykit.lock.owner";
    static final String HOST = "dev.deploykit.lock.host";
    static final String PID = "dev.deploykit.lock.pid";
    static final String PID_START = "dev.deploykit.lock.pid-start";
    /** The owner's start in clock ticks after boot: compared exactly, immune to clock steps. */
    static final String PID_START_TICKS = "dev.deploykit.lock.pid-start-ticks";
    static final String MACHINE = "dev.deploykit.lock.machine";
    static final String BOOT = "dev.deploykit.lock.boot";
    static final String OPERATION = "dev.deploykit.lock.operation";
    static final String SINCE = "dev.deploykit.lock.since";
    static final String LEASE = "dev.deploykit.lock.lease-ms";

    private LockLabels() {}
  }
}
