package dev.deploykit.it.support.contract;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request a client sent to a cloud fake and the response the fake gave, as they crossed the
 * wire: header names in any case, bodies as text ({@code null} when there was none).
 *
 * @param method the HTTP method, {@code GET}, {@code POST}, ...
 * @param path the request path without the query, {@code /v2/droplets}
 * @param query the raw (still encoded) query string without {@code ?}, or {@code null}
 */
public record Exchange(
    String method,
    String path,
    @Nullable String query,
    Map<String, List<String>> requestHeaders,
    @Nullable String requestBody,
    int status,
    Map<String, List<String>> responseHeaders,
    @Nullable String responseBody) {

  public Exchange {
    requestHeaders = Map.copyOf(requestHeaders);
    responseHeaders = Map.copyOf(responseHeaders);
  }

  /** {@code METHOD /path?query -> status}, for a violation's message. */
  public String line() {
    return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
  }
}
