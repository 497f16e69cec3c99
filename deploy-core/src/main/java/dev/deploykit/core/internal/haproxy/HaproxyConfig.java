package dev.deploykit.core.internal.haproxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The HAProxy configuration deploykit writes for a stack's proxy: one HTTP frontend per web
 * service, each with a backend of two server slots ({@value #SLOT_A} and {@value #SLOT_B}) that
 * start in maintenance and are pointed at containers through the Runtime API. A release fills
 * the idle slot, makes it ready, drains the other one and puts it back into maintenance, so the
 * configuration file never changes and HAProxy never reloads.
 */
public final class HaproxyConfig {
  public static final String SLOT_A = "a";
  public static final String SLOT_B = "b";
  /** The Runtime API's port inside the proxy container. */
  public static final int RUNTIME_API_PORT = 9999;
  /**
   * The port the web service's frontend listens on inside the proxy container; the stack's
   * {@code proxy_port} is published to it.
   */
  public static final int LISTEN_PORT = 8080;

  /**
   * One web service behind the proxy.
   *
   * @param backend the backend's name (the service's name)
   * @param listenPort the frontend's port inside the proxy container
   */
  public record Frontend(String backend, int listenPort) {
    public Frontend {
      if (!backend.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("backend name " + backend + " has characters HAProxy does not accept");
      }
      if (listenPort < 1 || listenPort > 65535) {
        throw new IllegalArgumentException("listen port must be 1-65535, was " + listenPort);
      }
    }
  }

  private HaproxyConfig() {}

  /**
   * The configuration text.
   *
   * @param frontends the web services, each on its own port
   * @param serverTimeout how long a request may take on the server side
   */
  public static String render(List<Frontend> frontends, Duration serverTimeout) {
    Objects.requireNonNull(serverTimeout, "serverTimeout");
    StringBuilder cfg = new StringBuilder(head(serverTimeout));
    for (Frontend f : frontends) {
      cfg.append(frontendAndBackend(f)).append("""
            server %s 127.0.0.1:1 disabled
            server %s 127.0.0.1:1 disabled

          """.formatted(SLOT_A, SLOT_B));
    }
    return cfg.toString();
  }

  /**
   * One web service behind the proxy on a Swarm cluster, whose release is a Swarm service with
   * several tasks.
   *
   * @param frontend the backend's name and the frontend's port
   * @param healthPath the path HAProxy's checks ask ({@code option httpchk})
   * @param healthPort the port the tasks answer on
   * @param slots how many servers each group has (K): the most tasks one release may have
   */
  public record SlotGroups(Frontend frontend, String healthPath, int healthPort, int slots) {
    public SlotGroups {
      Objects.requireNonNull(frontend, "frontend");
      if (!healthPath.startsWith("/") || healthPath.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException("health path must start with / and hold no space, was " + healthPath);
      }
      if (healthPort < 1 || healthPort > 65535) {
        throw new IllegalArgumentException("health port must be 1-65535, was " + healthPort);
      }
      if (slots < 1 || slots > MAX_SLOTS) {
        throw new IllegalArgumentException("slots must be 1-" + MAX_SLOTS + ", was " + slots);
      }
    }

    /** The server names of one group: {@code a1..aK} or {@code b1..bK}. */
    public List<String> servers(String group) {
      return java.util.stream.IntStream.rangeClosed(1, slots).mapToObj(i -> group + i).toList();
    }
  }

  /** The most servers one slot group may have. */
  public static final int MAX_SLOTS = 32;

  /**
   * The configuration text for a stack on a Swarm cluster: each backend has two slot groups
   * ({@value #SLOT_A}1..K and {@value #SLOT_B}1..K) whose servers start in maintenance, resolve
   * their name through Docker's DNS (a release's group is pointed at {@code tasks.<service>} with
   * {@code set server B/S fqdn}) and are health checked, so that HAProxy follows the tasks Swarm
   * reschedules without deploykit running.
   *
   * @param backends the web services, each on its own port
   * @param serverTimeout how long a request may take on the server side
   */
  public static String renderSlotGroups(List<SlotGroups> backends, Duration serverTimeout) {
    Objects.requireNonNull(serverTimeout, "serverTimeout");
    StringBuilder cfg = new StringBuilder(head(serverTimeout));
    cfg.append("""
        # Docker's embedded DNS on every network the proxy is attached to. A task that leaves the
        # answer, or a release scaled to 0 (nx), leaves the servers within a second; a DNS answer
        # that fails or is late keeps the last addresses (hold timeout/refused/other): a slow
        # answer under load must not take every server of a live group out at once. HAProxy's
        # checks still mark a dead address DOWN.
        resolvers docker
          nameserver dns 127.0.0.11:53
          resolve_retries 3
          timeout resolve 1s
          timeout retry 1s
          hold valid 1s
          hold obsolete 1s
          hold other 30s
          hold refused 30s
          hold nx 1s
          hold timeout 30s
          accepted_payload_size 8192

        """);
    for (SlotGroups g : backends) {
      Frontend f = g.frontend();
      cfg.append(frontendAndBackend(f)).append("""
            option httpchk GET %s
            default-server check inter 1s fall 2 rise 1 resolvers docker init-addr none resolve-prefer ipv4 disabled
          """.formatted(g.healthPath()));
      for (String group : List.of(SLOT_A, SLOT_B)) {
        for (String server : g.servers(group)) {
          cfg.append("  server ").append(server).append(" 127.0.0.1:").append(g.healthPort()).append('\n');
        }
      }
      cfg.append('\n');
    }
    return cfg.toString();
  }

  /** A web service's frontend and the first lines of its backend. */
  private static String frontendAndBackend(Frontend f) {
    return """
        frontend %1$s
          bind :%2$d
          default_backend %1$s

        backend %1$s
          balance roundrobin
        """.formatted(f.backend(), f.listenPort());
  }

  private static String head(Duration serverTimeout) {
    return """
        # Written by deploykit. Servers are switched through the Runtime API, never by editing
        # this file: slots a and b (or slot groups a1..aK and b1..bK on a Swarm cluster) of each
        # backend take turns holding the live release.
        global
          # Admin level on a container-internal port; deploykit publishes it on 127.0.0.1 only.
          stats socket ipv4@0.0.0.0:%d level admin
          stats timeout 30s
          log stdout format raw local0 info

        defaults
          mode http
          log global
          option dontlognull
          timeout connect 5s
          timeout client 60s
          timeout server %dms
          timeout http-keep-alive 10s
          # A request whose connection to a server fails before anything was sent goes to the
          # other slot instead of failing: the one moment a switch could otherwise lose it.
          retries 3
          option redispatch 1
          retry-on conn-failure empty-response

        """.formatted(RUNTIME_API_PORT, serverTimeout.toMillis());
  }
}
