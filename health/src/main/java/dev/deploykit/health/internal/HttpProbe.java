package dev.deploykit.health.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.health.CheckContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * The HTTP side of the HTTP, Ollama and RunPod checks: one OkHttp client per check with a kept
 * HTTP/1.1 connection, each call bounded by the check's deadline and cancelled with it.
 * Thread-safe (OkHttp clients are).
 */
public final class HttpProbe implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final OkHttpClient client;
  private final ObjectMapper json = new ObjectMapper();

  /** A client with {@code connectTimeout} and one kept connection per host. */
  public HttpProbe(Duration connectTimeout) {
    this.client = new OkHttpClient.Builder()
        .protocols(List.of(Protocol.HTTP_1_1))
        .connectionPool(new ConnectionPool(2, 5, TimeUnit.MINUTES))
        .connectTimeout(connectTimeout)
        .readTimeout(Duration.ZERO) // the call timeout (the check's deadline) bounds reads
        .writeTimeout(Duration.ZERO)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /** What a request returned: status and up to {@code maxBody} bytes of body. */
  public record Answer(int status, String body, boolean truncated) {}

  /** A failure with a one-line reason that holds no secret. */
  public static final class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with {@code reason}. */
    public ProbeException(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Sends a GET (or a POST of {@code jsonBody}) to {@code url} and reads at most {@code maxBody}
   * bytes of the answer, within the context's deadline.
   *
   * @throws ProbeException with a one-line reason on any network failure
   * @throws InterruptedException if the check was cancelled
   */
  public Answer send(URI url, Map<String, String> headers, String jsonBody, int maxBody,
      CheckContext context) throws ProbeException, InterruptedException {
    Request.Builder request = new Request.Builder().url(url.toString())
        .headers(Headers.of(headers));
    if (jsonBody != null && !jsonBody.isEmpty()) {
      request.post(RequestBody.create(jsonBody, JSON_TYPE));
    }
    Call call = client.newCall(request.build());
    call.timeout().timeout(Math.max(1, context.deadline().remaining().toNanos()),
        TimeUnit.NANOSECONDS);
    context.onCancel(call::cancel);
    String where = Urls.redact(url);
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      Buffer buffer = new Buffer();
      boolean truncated = false;
      BufferedSource source = body.source();
      // Read the whole body (to keep the connection) up to maxBody; a longer body is cut.
      while (!source.exhausted()) {
        long want = maxBody - buffer.size();
        if (want <= 0) {
          truncated = true;
          break;
        }
        source.read(buffer, Math.min(8192, want));
      }
      return new Answer(response.code(), buffer.readUtf8(), truncated);
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted() || context.isCancelled()) {
        throw new InterruptedException("cancelled");
      }
      throw new ProbeException("no complete answer from " + where + " before the deadline");
    } catch (IOException e) {
      if (context.isCancelled()) {
        throw new InterruptedException("cancelled");
      }
      throw new ProbeException(Failures.network(where, e));
    }
  }

  /**
   * A GET of {@code url} that must answer 2xx with JSON.
   *
   * @throws ProbeException on network failure, another status, or malformed JSON
   * @throws InterruptedException if the check was cancelled
   */
  public JsonNode getJson(URI url, Map<String, String> headers, CheckContext context)
      throws ProbeException, InterruptedException {
    return json(url, send(url, headers, "", 1 << 20, context));
  }

  /**
   * A POST of {@code body} to {@code url} that must answer 2xx with JSON.
   *
   * @throws ProbeException on network failure, another status, or malformed JSON
   * @throws InterruptedException if the check was cancelled
   */
  public JsonNode postJson(URI url, String body, CheckContext context)
      throws ProbeException, InterruptedException {
    return json(url, send(url, Map.of(), body, 1 << 20, context));
  }

  /** The JSON text of {@code value}. */
  public String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JsonNode json(URI url, Answer answer) throws ProbeException {
    String where = Urls.redact(url);
    if (answer.status() < 200 || answer.status() > 299) {
      throw new ProbeException(where + " answered HTTP " + answer.status());
    }
    if (answer.truncated()) {
      throw new ProbeException(where + " answered more than 1 MiB");
    }
    return parseObject(where, answer.body());
  }

  /**
   * {@code body} parsed as a JSON object.
   *
   * @throws ProbeException "malformed JSON from {where}: ..." if it is not one
   */
  public JsonNode parseObject(String where, String body) throws ProbeException {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ProbeException("malformed JSON from " + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      throw new ProbeException("malformed JSON from " + where + ": not an object");
    }
    return node;
  }

  @Override
  public void close() {
    client.connectionPool().evictAll();
  }
}
