package dev.deploykit.runpod.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.runpod.RunPodException;
import dev.deploykit.runpod.RunPodException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP call to a RunPod API with the project's rules: a deadline on every call; 429 waited
 * out as {@code Retry-After} says (the wait is told to the listener) up to a limit; a read
 * retried with backoff on a dropped connection or a 5xx, a write never (it may have been done);
 * every refusal turned into one line from the problem+json body, never with the key.
 */
public final class ApiCalls {
  /** JSON, as both APIs take it. */
  public static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int READ_ATTEMPTS = 3;

  private final OkHttpClient http;
  private final String authorization;
  private final TimeSource time;
  private final Duration rateLimitWait;
  private final Consumer<String> notices;
  private final String api;

  /**
   * The RunPod API key as both clients send it: stripped.
   *
   * @throws IllegalArgumentException when it is blank (naming RUNPOD_API_KEY)
   */
  public static String apiKey(String key) {
    Objects.requireNonNull(key, "apiKey");
    if (key.isBlank()) {
      throw new IllegalArgumentException("the RunPod API key is empty: set RUNPOD_API_KEY");
    }
    return key.strip();
  }

  /**
   * @param api what the calls go to, for messages ({@code RunPod}, {@code RunPod endpoint x})
   * @param authorization the {@code Authorization} header's value (holds the key; never shown)
   * @param rateLimitWait how long one call may wait in all for rate limits to pass
   * @param notices told, in one line, when a call waits for a rate limit
   */
  public ApiCalls(OkHttpClient http, String api, String authorization, TimeSource time,
      Duration rateLimitWait, Consumer<String> notices) {
    this.http = http;
    this.api = api;
    this.authorization = authorization;
    this.time = time;
    this.rateLimitWait = rateLimitWait;
    this.notices = notices;
  }

  /** An answer: its status and its body as JSON (a missing node when empty). */
  public record Answer(int status, JsonNode body) {}

  /**
   * Sends {@code method url} with a JSON body (or none) and returns a 2xx answer.
   *
   * @param what the operation for messages, {@code create endpoint ollama-llm}
   * @throws RunPodException for every other outcome
   */
  public Answer call(String method, HttpUrl url, @Nullable JsonNode body, String what) {
    boolean read = method.equals("GET");
    long waitedNanos = 0;
    int attempt = 0;
    Backoff backoff = Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(2));
    while (true) {
      attempt++;
      Request.Builder request = new Request.Builder().url(url)
          .header("Authorization", authorization)
          .header("Accept", "application/json, application/problem+json");
      RequestBody content = body == null ? null : RequestBody.create(body.toString(), JSON_TYPE);
      if (content == null && (method.equals("POST") || method.equals("PATCH"))) {
        content = RequestBody.create(new byte[0], null);
      }
      request.method(method, content);
      int status;
      String text;
      String retryAfter;
      try (Response response = http.newCall(request.build()).execute()) {
        status = response.code();
        text = response.body().string();
        retryAfter = response.header("Retry-After");
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new RunPodException(Reason.INTERRUPTED, 0, what + " was interrupted", e);
        }
        if (read && attempt < READ_ATTEMPTS) {
          sleep(backoff.delay(attempt, ThreadLocalRandom.current()), what);
          continue;
        }
        throw new RunPodException(Reason.UNREACHABLE, 0, api + " did not answer " + what + " in time ("
            + url.host() + "): " + e.getMessage() + "; check the network and retry", e);
      } catch (IOException e) {
        if (read && attempt < READ_ATTEMPTS) {
          sleep(backoff.delay(attempt, ThreadLocalRandom.current()), what);
          continue;
        }
        throw new RunPodException(Reason.UNREACHABLE, 0, api + " cannot be reached for " + what
            + " (" + url.host() + ":" + url.port() + "): " + e.getMessage(), e);
      }
      if (status >= 200 && status <= 299) {
        return new Answer(status, parse(text));
      }
      if (status == 429) {
        Duration wait = retryAfter(retryAfter);
        if (waitedNanos + wait.toNanos() <= rateLimitWait.toNanos()) {
          notices.accept(api + " rate limited " + what + " (" + detail(text, "HTTP 429") + "): waiting "
              + wait.toSeconds() + " s as Retry-After says");
          sleep(wait, what);
          waitedNanos += wait.toNanos();
          attempt--;
          continue;
        }
        throw new RunPodException(Reason.RATE_LIMITED, status, api + " still rate limits " + what
            + " after waiting " + Duration.ofNanos(waitedNanos).toSeconds() + " s ("
            + detail(text, "HTTP 429") + "): retry later", null);
      }
      if (status >= 500 && read && attempt < READ_ATTEMPTS) {
        sleep(backoff.delay(attempt, ThreadLocalRandom.current()), what);
        continue;
      }
      throw refusal(status, text, what);
    }
  }

  private RunPodException refusal(int status, String text, String what) {
    String detail = detail(text, "HTTP " + status);
    return switch (status) {
      case 401 -> new RunPodException(Reason.UNAUTHORIZED, status, api
          + " refused the API key for " + what + " (HTTP 401, " + detail
          + "): set RUNPOD_API_KEY to a valid key", null);
      case 403 -> new RunPodException(Reason.UNAUTHORIZED, status, "The API key lacks access for "
          + what + " (HTTP 403, " + detail + "): give the key read/write access to serverless", null);
      case 404 -> new RunPodException(Reason.NOT_FOUND, status, api + " has no such resource for "
          + what + " (HTTP 404, " + detail + ")", null);
      case 400, 409, 422 -> new RunPodException(Reason.REFUSED, status, api + " refused " + what
          + " (HTTP " + status + "): " + detail, null);
      default -> new RunPodException(Reason.FAILED, status, api + " failed " + what + " (HTTP "
          + status + "): " + detail, null);
    };
  }

  /** The problem+json body as one line: detail, then the errors; else the text cut short. */
  static String detail(String text, String fallback) {
    JsonNode problem = parse(text);
    if (problem.isObject() && (problem.has("detail") || problem.has("title") || problem.has("error"))) {
      StringBuilder line = new StringBuilder(problem.path("detail").asText(
          problem.path("title").asText(problem.path("error").asText(fallback))));
      for (JsonNode e : problem.path("errors")) {
        line.append("; ").append(e.isTextual() ? e.asText() : e.toString());
      }
      return line.toString().replaceAll("\\s*\\n\\s*", " ");
    }
    String t = text.strip().replaceAll("\\s*\\n\\s*", " ");
    return t.isEmpty() ? fallback : t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  private static Duration retryAfter(@Nullable String value) {
    if (value != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
      } catch (NumberFormatException e) {
        // An HTTP date: wait a default second.
      }
    }
    return Duration.ofSeconds(1);
  }

  private void sleep(Duration d, String what) {
    try {
      time.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunPodException(Reason.INTERRUPTED, 0, what + " was interrupted", e);
    }
  }

  static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /** The {@code Authorization} value, for a call made outside {@link #call} (a log stream). */
  public String authorizationValue() {
    return authorization;
  }

  @Override
  public String toString() {
    return "ApiCalls[" + api + ", authorization=***]";
  }
}
