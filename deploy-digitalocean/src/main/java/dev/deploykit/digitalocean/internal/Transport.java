package dev.deploykit.digitalocean.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.deploykit.digitalocean.ApiEvent;
import dev.deploykit.digitalocean.DigitalOceanException;
import dev.deploykit.digitalocean.DigitalOceanException.Kind;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * The wire: one DigitalOcean request at a time with the token, the JSON body, the rate-limit
 * budget read off every answer, 429 honoured ({@code retry-after}, else the backoff), and the
 * retries of calls that are safe to repeat (connection failures and 5xx other than 501, with
 * health's jittered backoff). A call that is not safe to repeat (a POST that creates) is sent
 * once: its caller decides what to look up before it tries again. The token lives only in the
 * {@code Authorization} header; nothing here prints it.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Transport {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  /** Below this many requests left in the budget, requests are spread out until the reset. */
  private static final int LOW_BUDGET = 5;
  private static final Duration LONGEST_PACE = Duration.ofSeconds(60);

  private final OkHttpClient http;
  private final HttpUrl base;
  private final String authorization;
  private final TimeSource time;
  private final Backoff backoff;
  private final int attempts;
  private final Consumer<ApiEvent> events;
  private final RandomGenerator random;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private volatile int remaining = -1;
  private volatile long resetEpochSeconds;

  public Transport(OkHttpClient http, HttpUrl base, char[] token, TimeSource time, Backoff backoff,
      int attempts, Consumer<ApiEvent> events, RandomGenerator random) {
    this.http = http;
    this.base = base;
    this.authorization = "Bearer " + new String(token);
    this.time = time;
    this.backoff = backoff;
    this.attempts = attempts;
    this.events = events;
    this.random = random;
  }

  /** An answer: its status and its JSON body ({@link MissingNode} when it had none). */
  public record Answer(int status, JsonNode body, Headers headers) {}

  /** GET, retried while it may heal; the JSON body. */
  public JsonNode get(String pathAndQuery) {
    return call("GET", url(pathAndQuery), null, true).body();
  }

  /** DELETE (safe to repeat: a second one finds nothing; 404 is the caller's business). */
  public void delete(String path, @Nullable JsonNode body) {
    call("DELETE", url(path), body, true);
  }

  /** PUT (a full replace: safe to repeat). */
  public JsonNode put(String path, JsonNode body) {
    return call("PUT", url(path), body, true).body();
  }

  /**
   * POST. {@code repeatable}: whether sending it twice does no harm (an action that is refused
   * while another runs); a create is not, and fails at the first connection failure or 5xx.
   */
  public JsonNode post(String path, JsonNode body, boolean repeatable) {
    return call("POST", url(path), body, repeatable).body();
  }

  /**
   * Every item of a paginated collection: the first page, then each {@code links.pages.next}
   * (its path and query, on this client's base URL) until there is none.
   */
  public List<JsonNode> list(String pathAndQuery, String key, int pageSize) {
    List<JsonNode> items = new ArrayList<>();
    HttpUrl next = url(pathAndQuery).newBuilder().setQueryParameter("per_page", Integer.toString(pageSize)).build();
    int pages = 0;
    while (next != null) {
      if (++pages > 1000) {
        throw new DigitalOceanException(Kind.BAD_REQUEST, "DigitalOcean's pages of " + key + " never end (more than 1000)");
      }
      JsonNode body = call("GET", next, null, true).body();
      body.path(key).forEach(items::add);
      JsonNode link = body.path("links").path("pages").path("next");
      next = link.isTextual() ? rebase(link.asText()) : null;
    }
    return items;
  }

  /** Requests sent (every attempt counts). */
  public long calls() {
    return calls.get();
  }

  /** Attempts repeated after a failure that may heal, 429s included. */
  public long retries() {
    return retries.get();
  }

  /** 429 answers met. */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** The base URL, {@code https://api.digitalocean.com/}. */
  public HttpUrl base() {
    return base;
  }

  HttpUrl url(String pathAndQuery) {
    HttpUrl url = base.resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
    if (url == null) {
      throw new IllegalArgumentException("not a path: " + pathAndQuery);
    }
    return url;
  }

  private @Nullable HttpUrl rebase(String link) {
    HttpUrl parsed = HttpUrl.parse(link);
    if (parsed == null) {
      return null;
    }
    String query = parsed.encodedQuery();
    return url(parsed.encodedPath() + (query == null ? "" : "?" + query));
  }

  private Answer call(String method, HttpUrl url, @Nullable JsonNode body, boolean repeatable) {
    String path = url.encodedPath();
    for (int attempt = 1; ; attempt++) {
      pace(method, path);
      Answer answer;
      try {
        answer = once(method, url, body);
      } catch (IOException e) {
        String why = e instanceof InterruptedIOException ? "no answer in time" : describe(e);
        if (!repeatable || attempt >= attempts) {
          throw new DigitalOceanException(Kind.UNREACHABLE, "DigitalOcean did not answer " + method + " "
              + path + " at " + base.host() + " (" + why + ")" + (attempt > 1 ? " after " + attempt + " attempts" : "")
              + "; check the network and https://status.digitalocean.com, then run again", e);
        }
        sleepBeforeRetry(method, path, attempt, backoff.delay(attempt, random), why);
        continue;
      }
      int status = answer.status();
      if (status == 429) {
        rateLimited.incrementAndGet();
        if (attempt >= attempts) {
          throw error(method, path, answer);
        }
        java.util.Optional<Duration> told = retryAfter(answer.headers());
        Duration wait = told.orElse(backoff.delay(attempt, random));
        events.accept(new ApiEvent.RateLimited(method, path, wait));
        retries.incrementAndGet();
        sleep(wait);
        if (told.isPresent()) {
          // The burst limit said when to come back: that, not the hourly budget of the 429's
          // headers, decides the retry. The next answer's headers give the budget again.
          remaining = -1;
        }
        continue;
      }
      if (status >= 500 && status != 501 && repeatable && attempt < attempts) {
        sleepBeforeRetry(method, path, attempt, backoff.delay(attempt, random), "HTTP " + status);
        continue;
      }
      if (status >= 400) {
        throw error(method, path, answer);
      }
      return answer;
    }
  }

  private void sleepBeforeRetry(String method, String path, int attempt, Duration wait, String why) {
    events.accept(new ApiEvent.Retrying(method, path, attempt, wait, why));
    retries.incrementAndGet();
    sleep(wait);
  }

  private Answer once(String method, HttpUrl url, @Nullable JsonNode body) throws IOException {
    Request.Builder request = new Request.Builder().url(url)
        .header("Authorization", authorization)
        .header("Accept", "application/json")
        .header("User-Agent", "deploykit");
    RequestBody payload = body == null ? null : RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE);
    if (payload == null && (method.equals("POST") || method.equals("PUT"))) {
      payload = RequestBody.create(new byte[0], JSON_TYPE);
    }
    request.method(method, payload);
    calls.incrementAndGet();
    try (Response response = http.newCall(request.build()).execute()) {
      readBudget(response.headers());
      ResponseBody responseBody = response.body();
      String text = response.code() == 204 ? "" : responseBody.string();
      JsonNode json;
      try {
        json = text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
      } catch (IOException notJson) {
        json = JSON.createObjectNode().put("message", text.strip());
      }
      events.accept(new ApiEvent.Answered(method, url.encodedPath(), response.code()));
      return new Answer(response.code(), json, response.headers());
    }
  }

  private void readBudget(Headers headers) {
    String left = headers.get("ratelimit-remaining");
    String reset = headers.get("ratelimit-reset");
    try {
      if (left != null) {
        remaining = Integer.parseInt(left.strip());
      }
      if (reset != null) {
        resetEpochSeconds = Long.parseLong(reset.strip());
      }
    } catch (NumberFormatException ignored) {
      // A header we cannot read paces nothing.
    }
  }

  /** Spreads the last requests of a spent budget until its reset (at most a minute each). */
  private void pace(String method, String path) {
    int left = remaining;
    if (left < 0 || left > LOW_BUDGET) {
      return;
    }
    long untilReset = resetEpochSeconds - time.now().getEpochSecond();
    if (untilReset <= 0) {
      return;
    }
    Duration wait = Duration.ofSeconds(untilReset).dividedBy(left + 1L);
    if (wait.compareTo(LONGEST_PACE) > 0) {
      wait = LONGEST_PACE;
    }
    events.accept(new ApiEvent.RateLimited(method, path, wait));
    sleep(wait);
  }

  private static java.util.Optional<Duration> retryAfter(Headers headers) {
    String value = headers.get("retry-after");
    if (value == null) {
      return java.util.Optional.empty();
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Math.min(seconds, 300))));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  private void sleep(Duration wait) {
    try {
      time.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DigitalOceanException(Kind.INTERRUPTED, "interrupted while waiting to call DigitalOcean again", e);
    }
  }

  static DigitalOceanException error(String method, String path, Answer answer) {
    int status = answer.status();
    JsonNode body = answer.body();
    String id = text(body, "id");
    String message = text(body, "message");
    String requestId = text(body, "request_id");
    if (requestId == null) {
      requestId = answer.headers().get("x-request-id");
    }
    Kind kind = switch (status) {
      case 401 -> Kind.UNAUTHORIZED;
      case 403 -> Kind.FORBIDDEN;
      case 404 -> Kind.NOT_FOUND;
      case 422 -> Kind.UNPROCESSABLE;
      case 429 -> Kind.RATE_LIMITED;
      default -> status >= 500 ? Kind.SERVER_ERROR : Kind.BAD_REQUEST;
    };
    String what = switch (kind) {
      case UNAUTHORIZED -> "DigitalOcean refused the token";
      case FORBIDDEN -> "the token may not do this (it lacks a scope)";
      case RATE_LIMITED -> "DigitalOcean's rate limit held after the retries";
      default -> "DigitalOcean refused";
    };
    return new DigitalOceanException(kind, what + " on " + method + " " + path + " (" + status
        + (id == null ? "" : " " + id) + (message == null ? "" : ": " + message) + ")"
        + (requestId == null ? "" : " [request " + requestId + "]"), status, id, requestId, null);
  }

  private static @Nullable String text(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return (e.getClass().getSimpleName() + (message == null ? "" : ": " + message)).toLowerCase(Locale.ROOT).contains("refused")
        ? "connection refused" : e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
