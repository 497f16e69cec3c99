package dev.deploykit.core;

import dev.deploykit.core.engine.HostAddress;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * deploykit's settings of a whole stack, the top-level {@code x-deploykit} block. Start from
 * {@link #defaults()} and change what differs with the {@code withX} copies:
 *
 * <pre>{@code
 * StackSettings settings = StackSettings.defaults().withProxyPort(8080).withRetain(3);
 * }</pre>
 *
 * <p>{@link #toString()} never shows the webhook's secret path. Thread safety: immutable.
 *
 * @param retain how many releases to keep for rollback (their stopped containers and snapshots)
 * @param proxyPort the host port the proxy publishes for the web services
 * @param notifyWebhook a Slack-compatible webhook for release notifications, or null; it holds a
 *     secret token and is never printed
 * @param database how to prepare the stack's database during a release, or null for no step
 * @param registry the registry images travel through to a remote host, or null for the
 *     local-registry mode (a registry on the operator's loopback, reached through SSH)
 * @param host the engine the stack is deployed to ({@code ssh://[user@]host[:port]}, as
 *     {@link HostAddress} reads it), or null when the stack file names none; a command's
 *     {@code --host} and {@code DOCKER_HOST} win over it
 * @param runpod the stack's LLM on RunPod serverless ({@code deploykit runpod ...}), or null
 * @param engine what runs the services: one Docker engine, or the Swarm cluster the host manages
 */
public record StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook,
    @Nullable DatabaseSettings database, @Nullable RegistrySettings registry, @Nullable String host,
    @Nullable RunPodSettings runpod, Engine engine) {
  /** How many releases are kept for rollback by default. */
  public static final int DEFAULT_RETAIN = 5;
  /** The host port the proxy publishes by default. */
  public static final int DEFAULT_PROXY_PORT = 80;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting when a value is out of range: retain
   *     below 1, a proxy port not 1-65535, a webhook that is not an http(s) URL, a host that is
   *     not an engine address
   */
  public StackSettings {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1, was " + retain);
    }
    if (proxyPort < 1 || proxyPort > 65535) {
      throw new IllegalArgumentException("proxyPort must be 1-65535, was " + proxyPort);
    }
    if (notifyWebhook != null && !"https".equals(notifyWebhook.getScheme())
        && !"http".equals(notifyWebhook.getScheme())) {
      throw new IllegalArgumentException("notifyWebhook must be an http(s) URL");
    }
    if (host != null) {
      new HostAddress(host, HostAddress.Origin.STACK_FILE);
    }
    java.util.Objects.requireNonNull(engine, "engine");
  }

  /**
   * Settings for one Docker engine.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook,
      @Nullable DatabaseSettings database, @Nullable RegistrySettings registry, @Nullable String host,
      @Nullable RunPodSettings runpod) {
    this(retain, proxyPort, notifyWebhook, database, registry, host, runpod, Engine.HOST);
  }


  /**
   * Settings without RunPod.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook,
      @Nullable DatabaseSettings database, @Nullable RegistrySettings registry, @Nullable String host) {
    this(retain, proxyPort, notifyWebhook, database, registry, host, null);
  }

  /**
   * Settings without a registry that name no host.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook,
      @Nullable DatabaseSettings database) {
    this(retain, proxyPort, notifyWebhook, database, null, null);
  }

  /**
   * Settings without a database step.
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook) {
    this(retain, proxyPort, notifyWebhook, null);
  }

  /** The defaults: keep 5 releases, proxy on port 80, no notifications, no database step. */
  public static StackSettings defaults() {
    return new StackSettings(DEFAULT_RETAIN, DEFAULT_PROXY_PORT, null, null, null, null);
  }

  /**
   * A copy that keeps another number of releases for rollback.
   *
   * @throws IllegalArgumentException when below 1
   */
  public StackSettings withRetain(int retain) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /**
   * A copy whose proxy publishes another host port.
   *
   * @throws IllegalArgumentException when not 1-65535
   */
  public StackSettings withProxyPort(int proxyPort) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /**
   * A copy that notifies another webhook (null: no notifications).
   *
   * @throws IllegalArgumentException when not an http(s) URL
   */
  public StackSettings withNotifyWebhook(@Nullable URI notifyWebhook) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /** A copy with another database step (null: none). */
  public StackSettings withDatabase(@Nullable DatabaseSettings database) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /** A copy with another registry (null: the local-registry mode). */
  public StackSettings withRegistry(@Nullable RegistrySettings registry) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /**
   * A copy that names another engine (null: none).
   *
   * @throws IllegalArgumentException when not an engine address ({@link HostAddress})
   */
  public StackSettings withHost(@Nullable String host) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /** A copy with other RunPod settings (null: none). */
  public StackSettings withRunPod(@Nullable RunPodSettings runpod) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /** A copy run by another engine ({@link Engine#HOST} or {@link Engine#SWARM}). */
  public StackSettings withEngine(Engine engine) {
    return new StackSettings(retain, proxyPort, notifyWebhook, database, registry, host, runpod, engine);
  }

  /** Never prints the webhook: its path is a credential. */
  @Override
  public String toString() {
    return "StackSettings[retain=" + retain + ", proxyPort=" + proxyPort
        + ", notifyWebhook=" + (notifyWebhook == null ? "none" : notifyWebhook.getScheme() + "://"
        + notifyWebhook.getHost() + "/***") + ", database=" + database + ", registry=" + registry + ", host=" + host + ", runpod=" + runpod + ", engine=" + engine.key() + "]";
  }
}
