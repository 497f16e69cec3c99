package dev.deploykit.it.support;

import dev.deploykit.images.Recipes;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link TestDroplet} for a benchmark run outside the test suite ({@code bench/backup-ssh.sh}):
 * starts one, gives it the PostgreSQL stand-in with its bases (so nothing is built there), prints
 * {@code address=ssh://deploy@127.0.0.1:PORT}, {@code identity=FILE} and {@code known_hosts=FILE}
 * on stdout, one a line, and keeps it until its stdin closes or it gets SIGTERM; then removes it
 * (its volumes with it) and its files.
 *
 * <p>Usage: {@code java -cp <it-tests test class path> dev.deploykit.it.support.BenchDroplet}.
 */
public final class BenchDroplet {
  private BenchDroplet() {}

  /** Starts, prints, waits, removes; no arguments. */
  public static void main(String[] args) throws IOException {
    TestDroplet droplet = TestDroplet.start();
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close = () -> {
      if (closed.compareAndSet(false, true)) {
        droplet.close();
        System.err.println("bench droplet: removed " + droplet.container().substring(0, 12));
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(close));
    long t0 = System.nanoTime();
    droplet.loadImages(DropletImages.standIns(Recipes.POSTGRES_18_1).toArray(String[]::new));
    System.err.printf("bench droplet: %s, stand-ins loaded in %.0f s%n", droplet.container().substring(0, 12),
        (System.nanoTime() - t0) / 1e9);
    System.out.println("address=ssh://" + TestDroplet.USER + "@127.0.0.1:" + droplet.port());
    System.out.println("identity=" + droplet.userKey());
    System.out.println("known_hosts=" + droplet.knownHosts());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // Held until the caller closes our stdin.
    }
    close.run();
  }
}
