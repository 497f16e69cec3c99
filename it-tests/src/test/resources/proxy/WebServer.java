// A minimal web service for the proxy tests, run with `java WebServer.java` (source launch):
// GET / answers the VERSION environment variable, GET /slow?ms=N answers after N milliseconds,
// GET /up answers 200, or 503 once UNHEALTHY_AFTER_MS milliseconds have passed since the start.
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class WebServer {
  public static void main(String[] args) throws IOException {
    String version = System.getenv().getOrDefault("VERSION", "unknown");
    long unhealthyAt = System.getenv("UNHEALTHY_AFTER_MS") == null ? Long.MAX_VALUE
        : System.nanoTime() + Long.parseLong(System.getenv("UNHEALTHY_AFTER_MS")) * 1_000_000L;
    HttpServer server = HttpServer.create(new InetSocketAddress(8080), 512);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (exchange.getRequestURI().getPath().equals("/slow") && query != null && query.startsWith("ms=")) {
          Thread.sleep(Long.parseLong(query.substring(3)));
        }
        boolean sick = exchange.getRequestURI().getPath().equals("/up") && System.nanoTime() > unhealthyAt;
        byte[] body = (sick ? "unhealthy" : version).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(sick ? 503 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    System.out.println("listening on 8080 as " + version);
  }
}
