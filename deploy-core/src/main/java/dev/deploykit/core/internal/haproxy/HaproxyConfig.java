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
    StringBuilder cfg = new StringBuilder();
    cfg.append("""
        # Written by deploykit. Servers are switched through the Runtime API, never by editing
        # this file: slots a and b of each backend take turns holding the live container.
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

        """.formatted(RUNTIME_API_PORT, serverTimeout.toMillis()));
    for (Frontend f : frontends) {
      cfg.append("""
          frontend %1$s
            bind :%2$d
            default_backend %1$s

          backend %1$s
            balance roundrobin
            server %3$s 127.0.0.1:1 disabled
            server %4$s 127.0.0.1:1 disabled

          """.formatted(f.backend(), f.listenPort(), SLOT_A, SLOT_B));
    }
    return cfg.toString();
  }
}
