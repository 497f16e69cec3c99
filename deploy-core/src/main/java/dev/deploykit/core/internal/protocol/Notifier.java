package dev.deploykit.core.internal.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts a release's outcome to a Slack-compatible incoming webhook ({@code {"text": "..."}}).
 * A notification never fails a release, and the webhook's URL, which holds a secret, is never
 * reported: only its host.
 */
final class Notifier {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient client;

  Notifier(OkHttpClient client) {
    this.client = client.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofSeconds(15))
        .build();
  }

  /** Whether it was delivered, and a detail safe to show. */
  record Delivery(boolean delivered, String detail) {}

  Delivery send(URI webhook, String text) {
    String where = webhook.getHost();
    try {
      Request request = new Request.Builder().url(webhook.toURL())
          .post(RequestBody.create(MAPPER.writeValueAsBytes(java.util.Map.of("text", text)), JSON))
          .build();
      try (Response response = client.newCall(request).execute()) {
        return response.isSuccessful()
            ? new Delivery(true, "posted to " + where)
            : new Delivery(false, where + " answered HTTP " + response.code());
      }
    } catch (IOException | IllegalArgumentException e) {
      return new Delivery(false, "could not post to " + where + ": " + e.getClass().getSimpleName());
    }
  }
}
