// A minimal web service for the proxy tests, run with `java WebServer.java` (source launch):
// GET / answers the VERSION environment variable, GET /slow?ms=N answers after N milliseconds,
// GET /up answers 200, or 503 once UNHEALTHY_AFTER_MS milliseconds have passed since its first 200
// (so such a release always passes its health gate, and turns unhealthy in the watch window).
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class WebServer {
  public static void main(String[] args) throws IOException {
    String version = System.getenv().getOrDefault("VERSION", "unknown");
    String unhealthyAfter = System.getenv("UNHEALTHY_AFTER_MS");
    AtomicLong unhealthyAt = new AtomicLong(Long.MAX_VALUE);
    HttpServer server = HttpServer.create(new InetSocketAddress(8080), 512);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (exchange.getRequestURI().getPath().equals("/slow") && query != null && query.startsWith("ms=")) {
          Thread.sleep(Long.parseLong(query.substring(3)));
        }
        boolean up = exchange.getRequestURI().getPath().equals("/up");
        boolean sick = up && System.nanoTime() > unhealthyAt.get();
        if (up && unhealthyAfter != null) {
          unhealthyAt.compareAndSet(Long.MAX_VALUE,
              System.nanoTime() + Long.parseLong(unhealthyAfter) * 1_000_000L);
        }
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
