package dev.deploykit.core;

import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * deploykit's settings of a whole stack, the top-level {@code x-deploykit} block.
 *
 * @param retain how many releases to keep for rollback (their stopped containers and snapshots)
 * @param proxyPort the host port the proxy publishes for the web services
 * @param notifyWebhook a Slack-compatible webhook for release notifications, or null; it holds a
 *     secret token and is never printed
 */
public record StackSettings(int retain, int proxyPort, @Nullable URI notifyWebhook) {
  public static final int DEFAULT_RETAIN = 5;
  public static final int DEFAULT_PROXY_PORT = 80;

  public StackSettings {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1, was " + retain);
    }
    if (proxyPort < 1 || proxyPort > 65535) {
      throw new IllegalArgumentException("proxy_port must be 1-65535, was " + proxyPort);
    }
    if (notifyWebhook != null && !"https".equals(notifyWebhook.getScheme())
        && !"http".equals(notifyWebhook.getScheme())) {
      throw new IllegalArgumentException("notify_webhook must be an http(s) URL");
    }
  }

  /** The defaults: keep 5 releases, proxy on port 80, no notifications. */
  public static StackSettings defaults() {
    return new StackSettings(DEFAULT_RETAIN, DEFAULT_PROXY_PORT, null);
  }

  /** The webhook, if notifications are on. */
  public Optional<URI> webhook() {
    return Optional.ofNullable(notifyWebhook);
  }

  /** Never prints the webhook: its path is a credential. */
  @Override
  public String toString() {
    return "StackSettings[retain=" + retain + ", proxyPort=" + proxyPort
        + ", notifyWebhook=" + (notifyWebhook == null ? "none" : notifyWebhook.getScheme() + "://"
        + notifyWebhook.getHost() + "/***") + "]";
  }
}
