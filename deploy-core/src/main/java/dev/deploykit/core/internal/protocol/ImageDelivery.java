package dev.deploykit.core.internal.protocol;

import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.RegistrySettings;
import dev.deploykit.core.Service;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.engine.TransferProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Protocol step 3a, for a host whose images come from the operator's engine (a remote host):
 * each image the operator's engine has is pushed to the registry, pinned by the digest the
 * registry gave it ({@code registry/repo@sha256:...}), and pulled by that digest on the host
 * with the credentials sent in the call, so nothing is written to the host's disk. With no
 * registry named: a registry on the operator's loopback ({@link LocalRegistry}) and, during the
 * pulls only, an SSH remote forward of its port to the host's loopback, so the host's engine
 * pulls from {@code 127.0.0.1:PORT} and only the layers it lacks cross the connection. A rollback
 * passes the digests it pinned; those the host no longer has are pulled again. Images the
 * operator's engine does not have (an official accessory image) are left to the host, as on a
 * local engine.
 */
final class ImageDelivery {
  private static final Duration REGISTRY_START = Duration.ofSeconds(30);
  private static final Duration RETRY = Duration.ofMillis(250);

  private final RunContext run;
  private final DeliverySettings settings;

  ImageDelivery(RunContext run) {
    this.run = run;
    this.settings = run.settings.delivery();
  }

  /** What the step delivered: the reference each service runs, and the digest pins among them. */
  record Delivered(Map<String, String> pins, Map<String, String> digests) {}

  /** Whether this run delivers images: a source engine was given, or the host is remote. */
  static boolean applies(RunContext run) {
    return run.settings.delivery().source() != null || run.host instanceof SshHost;
  }

  /**
   * Delivers every service's image.
   *
   * @param pinned references to run instead of the stack's (a rollback's digests or ids)
   * @throws DeployException with a registry reason when a push or pull is refused
   */
  Delivered deliver(Map<String, String> pinned) throws InterruptedException {
    DockerHost given = settings.source();
    DockerHost source = given != null ? given : DockerHost.local();
    try {
      Route route = route(source);
      Map<String, String> pins = new LinkedHashMap<>(pinned);
      Map<String, String> digests = new LinkedHashMap<>();
      for (Service s : run.stack.services()) {
        if (!pinned.containsKey(s.name()) && source.imageId(s.image()).isPresent()) {
          String ref = push(source, route, s);
          pins.put(s.name(), ref);
          digests.put(s.name(), ref);
        } else if (isDigest(pinned.get(s.name()))) {
          digests.put(s.name(), pinned.get(s.name()));
        }
      }
      pullMissing(route, digests);
      return new Delivered(pins, digests);
    } finally {
      if (given == null) {
        source.close();
      }
    }
  }

  /** Where images go: the stack's registry with its credentials, or the local registry. */
  private record Route(String server, @Nullable RegistryAuth auth, boolean local, boolean freshlyStarted) {}

  private Route route(DockerHost source) {
    RegistrySettings registry = run.stack.settings().registry();
    if (registry != null) {
      return new Route(registry.server(), registry.credentials(settings.environment()), false, false);
    }
    boolean started = LocalRegistry.ensure(source, settings.localRegistryImage(), settings.localRegistryPort(),
        run.settings.pullTimeout());
    return new Route(LocalRegistry.server(settings.localRegistryPort()), null, true, started);
  }

  private String push(DockerHost source, Route route, Service s) throws InterruptedException {
    String target = RegistrySettings.imageName(route.server(), s.image());
    source.tag(s.image(), target);
    long deadline = run.time.nanoTime() + REGISTRY_START.toNanos();
    while (true) {
      try {
        String digest = source.push(target, route.auth(), run.settings.pullTimeout(),
            progress(s.name(), target, DeployEvent.ImageTransfer.Direction.PUSH));
        String ref = target.substring(0, target.lastIndexOf(':')) + "@" + digest;
        run.emit(new DeployEvent.ImagePushed(run.at(), s.name(), s.image(), ref));
        return ref;
      } catch (DeployException e) {
        // A local registry created a moment ago may not answer yet, and how it fails then varies
        // (refused, EOF, "server closed idle connection" behind Docker's port proxy): anything but
        // refused credentials or a missing image is waited out, within the deadline.
        if (!route.freshlyStarted() || e.reason() == DeployException.Reason.REGISTRY_CREDENTIALS
            || e.reason() == DeployException.Reason.IMAGE_NOT_IN_REGISTRY
            || run.time.nanoTime() >= deadline) {
          throw e;
        }
        run.time.sleep(RETRY);
      }
    }
  }

  private void pullMissing(Route route, Map<String, String> digests) {
    Map<String, String> missing = new LinkedHashMap<>();
    digests.forEach((service, ref) -> {
      if (run.host.imageId(ref).isEmpty()) {
        missing.put(service, ref);
      }
    });
    if (missing.isEmpty()) {
      return;
    }
    try (Forward forward = forward(route, missing)) {
      missing.forEach((service, ref) -> run.host.pull(ref, ref.startsWith(route.server() + "/") ? route.auth() : null,
          run.settings.pullTimeout(), progress(service, ref, DeployEvent.ImageTransfer.Direction.PULL)));
    }
  }

  /** The remote forward of the local registry's port, open only while the host pulls from it. */
  private interface Forward extends AutoCloseable {
    @Override
    void close();
  }

  private Forward forward(Route route, Map<String, String> refs) {
    String local = LocalRegistry.server(settings.localRegistryPort()) + "/";
    boolean needed = refs.values().stream().anyMatch(r -> r.startsWith(local));
    if (!needed || !(run.host instanceof SshHost ssh)) {
      return () -> {};
    }
    SshHost.ReverseForward forward = ssh.reverseForward(settings.localRegistryPort(),
        new java.net.InetSocketAddress("127.0.0.1", settings.localRegistryPort()));
    return forward::close;
  }

  /** The engine reports about once a second, on this run's thread: each report is an event. */
  private TransferProgress progress(String service, String ref, DeployEvent.ImageTransfer.Direction direction) {
    return (done, total) -> run.emit(new DeployEvent.ImageTransfer(run.at(), service, ref, direction, done, total));
  }

  private static boolean isDigest(@Nullable String ref) {
    return ref != null && ref.contains("@sha256:");
  }
}
