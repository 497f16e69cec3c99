package dev.deploykit.core.internal.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local connection joined to one {@link RemoteEnd}: two pumps, one per direction, each on a
 * platform thread of its own (sshj's streams block inside {@code synchronized}, which would pin a
 * virtual thread). End of input in one direction is passed on as a half-close and the other
 * direction keeps flowing until it ends too; an error in either direction aborts both. When both
 * are done, both ends are closed and {@code onClosed} is told.
 *
 * <p>Thread safety: safe for concurrent use; {@link #abort()} may be called from any thread.
 */
final class Link {
  private static final Logger log = LoggerFactory.getLogger(Link.class);
  private static final int BUFFER = 32 * 1024;

  private final String name;
  private final SocketChannel local;
  private final RemoteEnd remote;
  private final LongSupplier clock;
  private final Consumer<Link> onClosed;
  private final AtomicInteger running = new AtomicInteger(2);
  private final AtomicBoolean aborted = new AtomicBoolean();
  private volatile long lastUpstream;
  private volatile boolean awaitingAnswer;

  Link(String name, SocketChannel local, RemoteEnd remote, LongSupplier clock, Consumer<Link> onClosed) {
    this.name = name;
    this.local = local;
    this.remote = remote;
    this.clock = clock;
    this.onClosed = onClosed;
    this.lastUpstream = clock.getAsLong();
  }

  /** Starts both pumps. */
  void start() {
    Thread.ofPlatform().daemon().name(name + " up").start(this::pumpUp);
    Thread.ofPlatform().daemon().name(name + " down").start(this::pumpDown);
  }

  /** Ends both directions at once; nothing waits for the far side. */
  void abort() {
    if (aborted.compareAndSet(false, true)) {
      try {
        local.close();
      } catch (IOException e) {
        // Closing is all that was asked.
      }
      remote.abort();
    }
  }

  /** Whether both pumps have finished. */
  boolean closed() {
    return running.get() == 0;
  }

  /**
   * A guard that aborts the link when it sent something (a request, or end of input) and the far
   * side has not answered for {@code timeout}: the deadline of one engine call. An idle link
   * (answered, waiting for the next request) never expires.
   */
  Watchdog.Guard answerDeadline(Duration timeout) {
    long limit = timeout.toNanos();
    return now -> {
      if (closed()) {
        return true;
      }
      if (awaitingAnswer && now - lastUpstream >= limit) {
        log.warn("{}: no answer within {} ms; cutting the call off", name, timeout.toMillis());
        abort();
        return true;
      }
      return false;
    };
  }

  private void pumpUp() {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    try {
      OutputStream out = remote.output();
      while (true) {
        buffer.clear();
        int n = local.read(buffer);
        lastUpstream = clock.getAsLong();
        awaitingAnswer = true;
        if (n < 0) {
          remote.endOutput();
          break;
        }
        out.write(buffer.array(), 0, n);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      failed("up", e);
    } finally {
      finished();
    }
  }

  private void pumpDown() {
    byte[] buffer = new byte[BUFFER];
    try {
      InputStream in = remote.input();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitingAnswer = false;
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          local.write(chunk);
        }
      }
      awaitingAnswer = false;
      local.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      failed("down", e);
    } finally {
      finished();
    }
  }

  private void failed(String direction, Exception e) {
    if (!aborted.get()) {
      log.debug("{} {}: {}", name, direction, e.toString());
    }
    abort();
  }

  private void finished() {
    if (running.decrementAndGet() == 0) {
      remote.close();
      try {
        local.close();
      } catch (IOException e) {
        // Both directions are over; nothing is lost.
      }
      onClosed.accept(this);
    }
  }

  @Override
  public String toString() {
    return name + " (" + remote + ")";
  }
}
