package dev.deploykit.core.internal.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.StreamedExec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The streaming calls of the engine SPI ({@code DockerHost.execStreaming}, {@code copyFile}) on a
 * docker-java client, whatever carries it (the local socket, or the SSH bridge).
 */
public final class ContainerStreams {
  private static final int STDERR_KEPT = 64 * 1024;

  private ContainerStreams() {}

  /** See {@code DockerHost.execStreaming}. */
  public static StreamedExec exec(DockerClient client, String where, String container, List<String> command,
      Map<String, String> environment, OutputStream stdout, Duration timeout) {
    String execId;
    try {
      execId = client.execCreateCmd(container).withCmd(command.toArray(String[]::new))
          .withEnv(environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
    } catch (NotFoundException | ConflictException e) {
      throw new DeployException("Cannot run " + command.getFirst() + " in container " + container + " on "
          + where + ": " + firstLine(e.getMessage()), e);
    }
    Sink sink = new Sink(stdout);
    try (ResultCallback.Adapter<Frame> callback = client.execStartCmd(execId).exec(sink)) {
      if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DeployException(command.getFirst() + " in container " + container + " on " + where
            + " did not finish within " + timeout.toMillis() + " ms");
      }
    } catch (IOException e) {
      throw new DeployException("Running " + command.getFirst() + " in " + container + " failed: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while running "
          + command.getFirst() + " in " + container, e);
    } catch (DeployException e) {
      throw e;
    } catch (RuntimeException e) {
      // The callback rethrows the stream's first error; a failed write is the one to tell.
      if (sink.writeFailure == null) {
        sink.streamFailure = e;
      }
    }
    if (sink.writeFailure != null) {
      throw new DeployException("Writing the output of " + command.getFirst() + " from " + container
          + " failed: " + sink.writeFailure.getMessage(), sink.writeFailure);
    }
    if (sink.streamFailure != null) {
      throw new DeployException("The output stream of " + command.getFirst() + " in " + container + " on "
          + where + " broke: " + firstLine(sink.streamFailure.getMessage()), sink.streamFailure);
    }
    Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
    return new StreamedExec(code == null ? -1 : code.intValue(), sink.written, sink.stderr());
  }

  /** See {@code DockerHost.copyFile}. */
  public static void copyIn(DockerClient client, String where, String container, String path, InputStream content,
      long size, int mode) {
    if (!path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("path must be an absolute file path: " + path);
    }
    int slash = path.lastIndexOf('/');
    String parent = slash == 0 ? "/" : path.substring(0, slash);
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(header);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry = new TarArchiveEntry(path.substring(slash + 1));
      entry.setSize(size);
      entry.setMode(mode);
      tar.putArchiveEntry(entry);
      tar.flush();
    } catch (IOException e) {
      throw new DeployException("Could not pack " + path + ": " + e.getMessage(), e);
    }
    // The header as the tar writer made it, the content as it streams, then the padding to a
    // 512-byte record and the archive's two empty records: the file never sits in memory.
    int padding = (int) ((512 - size % 512) % 512);
    InputStream tarStream = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(header.toByteArray()), new Exactly(content, size),
        new ByteArrayInputStream(new byte[padding + 1024]))));
    try {
      client.copyArchiveToContainerCmd(container).withRemotePath(parent).withTarInputStream(tarStream).exec();
    } catch (DockerException e) {
      throw new DeployException("Could not copy " + path + " into container " + container + " on " + where + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "no message";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /** Frames to the caller's stream (stdout) and a bounded buffer (stderr). */
  private static final class Sink extends ResultCallback.Adapter<Frame> {
    private final OutputStream out;
    private final StringBuilder err = new StringBuilder();
    private volatile long written;
    private volatile @Nullable IOException writeFailure;
    private volatile @Nullable Throwable streamFailure;

    Sink(OutputStream out) {
      this.out = out;
    }

    @Override
    public void onNext(Frame frame) {
      if (writeFailure != null) {
        return;
      }
      if (frame.getStreamType() == StreamType.STDERR) {
        synchronized (err) {
          err.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
          if (err.length() > STDERR_KEPT) {
            err.delete(0, err.length() - STDERR_KEPT);
          }
        }
        return;
      }
      try {
        out.write(frame.getPayload());
        written += frame.getPayload().length;
      } catch (IOException e) {
        writeFailure = e;
        try {
          close();
        } catch (IOException ignored) {
          // Closing the stream only stops it; the write failure is what the caller hears.
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (writeFailure == null) {
        streamFailure = throwable;
      }
      super.onError(throwable);
    }

    String stderr() {
      synchronized (err) {
        return err.toString();
      }
    }
  }

  /** Exactly {@code size} bytes of the stream, or an IOException saying it ended early. */
  private static final class Exactly extends InputStream {
    private final InputStream in;
    private long left;

    Exactly(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the file ended " + left + " bytes early");
      }
      left -= n;
      return n;
    }
  }
}
