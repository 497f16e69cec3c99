package dev.deploykit.core.internal.state;

import dev.deploykit.core.ContainerSpec;
import dev.deploykit.core.ContainerState;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DockerHost;
import dev.deploykit.core.LockHeldException;
import dev.deploykit.core.LockInfo;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's deploy lock: a container named {@code <stack>-deploykit-lock}, created (never
 * started) with labels naming its owner. The engine refuses a second container of the same
 * name, which makes taking the lock atomic on any host and over any transport.
 */
public final class StackLock implements AutoCloseable {
  private static final String OWNER = "dev.deploykit.lock.owner";
  private static final String HOST = "dev.deploykit.lock.host";
  private static final String PID = "dev.deploykit.lock.pid";
  private static final String OPERATION = "dev.deploykit.lock.operation";
  private static final String SINCE = "dev.deploykit.lock.since";

  private final DockerHost host;
  private final String container;
  private final LockInfo info;
  private boolean released;

  private StackLock(DockerHost host, String container, LockInfo info) {
    this.host = host;
    this.container = container;
    this.info = info;
  }

  /**
   * Takes the lock.
   *
   * @param image any image present on the host (the lock container never runs)
   * @throws LockHeldException naming the holder when another run has it
   */
  public static StackLock acquire(DockerHost host, String stack, String image, String owner,
      String operation, Instant now) {
    LockInfo info = new LockInfo(stack, owner, thisHost(), ProcessHandle.current().pid(), operation, now);
    Map<String, String> labels = Names.labels(stack, "lock");
    labels.put(OWNER, info.owner());
    labels.put(HOST, info.host());
    labels.put(PID, Long.toString(info.pid()));
    labels.put(OPERATION, info.operation());
    labels.put(SINCE, info.since().toString());
    String name = Names.lockContainer(stack);
    try {
      host.create(ContainerSpec.builder(name, image).labels(labels)
          .command(List.of("deploykit-lock")).entrypoint(List.of("true")).build());
    } catch (DeployException e) {
      Optional<LockInfo> holder = read(host, stack);
      if (holder.isPresent()) {
        throw new LockHeldException(holder.get(), ownerGone(holder.get()));
      }
      throw e;
    }
    return new StackLock(host, name, info);
  }

  /** Who holds the stack's lock, if anyone. */
  public static Optional<LockInfo> read(DockerHost host, String stack) {
    return host.inspect(Names.lockContainer(stack), Names.network(stack)).map(StackLock::info);
  }

  /** Whether the holder's process is known to be gone: same machine, no such process. */
  public static boolean ownerGone(LockInfo holder) {
    return holder.host().equals(thisHost()) && ProcessHandle.of(holder.pid()).isEmpty();
  }

  /** Breaks the lock, whoever holds it. For an operator who checked that its owner is gone. */
  public static void forceRelease(DockerHost host, String stack) {
    host.remove(Names.lockContainer(stack));
  }

  public LockInfo info() {
    return info;
  }

  @Override
  public void close() {
    if (!released) {
      released = true;
      host.remove(container);
    }
  }

  private static LockInfo info(ContainerState c) {
    return new LockInfo(
        c.label(Names.STACK).orElse("?"),
        c.label(OWNER).orElse("unknown"),
        c.label(HOST).orElse("unknown"),
        c.label(PID).map(Long::parseLong).orElse(-1L),
        c.label(OPERATION).orElse("unknown"),
        c.label(SINCE).map(Instant::parse).orElse(Instant.EPOCH));
  }

  /** This machine's name: {@code HOSTNAME}, else what the resolver says, for locks and owners. */
  public static String thisHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown-host";
    }
  }
}
