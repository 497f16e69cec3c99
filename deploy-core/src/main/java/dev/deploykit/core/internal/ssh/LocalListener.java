package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on a local server socket (Unix or loopback TCP) and joins each to a fresh
 * {@link RemoteEnd}, opened on the connection's own thread so that a slow open never holds up the
 * next accept. A remote end that cannot be opened closes the local connection and is remembered
 * ({@link #takeOpenFailure()}), so that the caller's error can say why.
 *
 * <p>Thread safety: safe for concurrent use; one platform thread accepts.
 */
final class LocalListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalListener.class);
  private static final Duration ACCEPTOR_EXIT = Duration.ofSeconds(2);

  /** Opens the far end for one accepted connection. */
  interface Opener {
    RemoteEnd open() throws IOException;
  }

  private final String name;
  private final ServerSocketChannel server;
  private final Opener opener;
  private final LongSupplier clock;
  private final Consumer<Link> watchLink;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicReference<@Nullable IOException> openFailure = new AtomicReference<>();
  private volatile boolean closed;
  private @Nullable Thread acceptor;

  /**
   * @param clock the links' clock (their last activity, for deadlines)
   * @param watchLink called with each new link, to put it under a deadline (or not)
   */
  LocalListener(String name, ServerSocketChannel server, Opener opener, LongSupplier clock,
      Consumer<Link> watchLink) {
    this.name = name;
    this.server = server;
    this.opener = opener;
    this.clock = clock;
    this.watchLink = watchLink;
  }

  /** Starts accepting. */
  LocalListener start() {
    acceptor = Thread.ofPlatform().daemon().name(name + " accept").start(this::acceptLoop);
    return this;
  }

  /** Connections joined so far. */
  int accepted() {
    return accepted.get();
  }

  /** Links still open. */
  int open() {
    return links.size();
  }

  /** Why the last remote end could not be opened, once; empty if every open succeeded since. */
  Optional<IOException> takeOpenFailure() {
    return Optional.ofNullable(openFailure.getAndSet(null));
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          log.warn("{}: accept failed: {}", name, e.toString());
        }
        return;
      }
      int number = accepted.incrementAndGet();
      Thread.ofPlatform().daemon().name(name + " #" + number).start(() -> join(connection, number));
    }
  }

  private void join(SocketChannel connection, int number) {
    RemoteEnd remote;
    try {
      remote = opener.open();
    } catch (IOException | RuntimeException e) {
      openFailure.set(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
      log.debug("{} #{}: the far end cannot be opened: {}", name, number, e.toString());
      closeQuietly(connection);
      return;
    }
    openFailure.set(null);
    Link link = new Link(name + " #" + number, connection, remote, clock, links::remove);
    links.add(link);
    if (closed) {
      link.abort();
    }
    watchLink.accept(link);
    link.start();
  }

  /** Stops listening (the port or socket is released when this returns) and cuts every link. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    Thread accepting = acceptor;
    if (accepting != null && accepting != Thread.currentThread()) {
      // A channel closed under a blocked accept is released only as that thread leaves it.
      try {
        accepting.join(ACCEPTOR_EXIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Link link : links) {
      link.abort();
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Closing is all that was asked.
    }
  }
}
