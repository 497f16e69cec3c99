package dev.deploykit.digitalocean;

import java.time.Duration;

/** What the client tells a listener while it works (for people and for counting). */
public sealed interface ApiEvent {
  /** One line for people. */
  String message();

  /** A request got an answer. */
  record Answered(String method, String path, int status) implements ApiEvent {
    @Override
    public String message() {
      return method + " " + path + " -> " + status;
    }
  }

  /** The API said 429, or the budget is spent: the client waits before the next request. */
  record RateLimited(String method, String path, Duration delay) implements ApiEvent {
    @Override
    public String message() {
      return "rate limited by DigitalOcean on " + method + " " + path + ": waiting "
          + Math.max(1, (delay.toMillis() + 999) / 1000) + " s";
    }
  }

  /** A call failed in a way that may heal: it is sent again after {@code wait}. */
  record Retrying(String method, String path, int attempt, Duration delay, String why) implements ApiEvent {
    @Override
    public String message() {
      return method + " " + path + " failed (" + why + "); attempt " + (attempt + 1) + " in "
          + delay.toMillis() + " ms";
    }
  }
}
