package dev.deploykit.core.internal.haproxy;

import dev.deploykit.core.DeployException;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A client of HAProxy's Runtime API over TCP: one command per connection (the API's
 * non-interactive mode), each under a connect and read deadline. A command whose connection is
 * refused or breaks is sent once more on a new connection (every command deploykit sends is a
 * {@code show} or an idempotent {@code set}): a forward over SSH whose connection dropped is
 * carried by the next one. A command that got no answer in time is not repeated.
 *
 * <p>Thread safety: stateless; commands may be sent from several threads.
 */
public final class RuntimeApi {
  private final InetSocketAddress address;
  private final Duration timeout;

  public RuntimeApi(InetSocketAddress address, Duration timeout) {
    this.address = Objects.requireNonNull(address, "address");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Waits until HAProxy answers {@code show info}: a proxy started just now opens its Runtime API
   * only once it has read its configuration.
   *
   * @param proxy the proxy container's name, for the message
   * @throws DeployException when it does not answer within {@code timeout}, with the last answer
   * @throws InterruptedException when interrupted
   */
  public void awaitAnswering(Duration timeout, TimeSource time, String proxy) throws InterruptedException {
    AwaitResult<String> ready = Await.atMost(timeout)
        .backoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(500))).timeSource(time)
        .until(deadline -> execute("show info"), info -> info.contains("Name: HAProxy"));
    if (!ready.isSatisfied()) {
      throw new DeployException("The proxy " + proxy + " did not answer on its Runtime API within "
          + timeout.toSeconds() + " s: " + ready.last().describe() + ". Its logs: docker logs " + proxy);
    }
  }

  /**
   * Sends one command and returns HAProxy's answer.
   *
   * @throws DeployException when the API cannot be reached, does not answer in time, or answers
   *     with an error
   */
  public String execute(String command) {
    if (command.contains("\n") || command.contains(";")) {
      throw new IllegalArgumentException("one command at a time: " + command);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(command);
      } catch (SocketTimeoutException e) {
        throw new DeployException("HAProxy's Runtime API at " + describe() + " did not answer \""
            + command + "\" within " + timeout.toMillis() + " ms", e);
      } catch (IOException e) {
        if (attempt == 2) {
          throw new DeployException("HAProxy's Runtime API at " + describe() + " cannot be reached ("
              + e.getMessage() + "): is the proxy container running?", e);
        }
      }
    }
  }

  private String once(String command) throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket socket = new Socket()) {
      socket.connect(address, millis);
      socket.setSoTimeout(millis);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends a {@code set ...} command, which answers nothing (or says what it changed) on success.
   *
   * @throws DeployException with HAProxy's answer when it refused the command
   */
  public void set(String command) {
    if (!command.startsWith("set ")) {
      throw new IllegalArgumentException("not a set command: " + command);
    }
    String answer = execute(command).strip();
    if (!answer.isEmpty() && !answer.startsWith("IP changed") && !answer.startsWith("no need to change")
        && !answer.startsWith("port changed") && !answer.startsWith("nothing changed")
        // set server B/S fqdn answers "B/S changed its FQDN from X to Y by 'stats socket command'"
        && !answer.contains(" changed its FQDN from ")) {
      throw new DeployException("HAProxy refused \"" + command + "\": " + firstLine(answer));
    }
  }

  /** The servers of every backend, from {@code show stat}. */
  public List<ServerStat> servers() {
    String csv = execute("show stat");
    if (!csv.startsWith("# ")) {
      // A connection that broke before the answer reads as an empty one: ask once more.
      csv = execute("show stat");
    }
    List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
      throw new DeployException("HAProxy's show stat answered without a header: " + firstLine(csv));
    }
    List<String> header = List.of(lines.getFirst().substring(2).split(",", -1));
    int pxname = header.indexOf("pxname");
    int svname = header.indexOf("svname");
    int scur = header.indexOf("scur");
    int qcur = header.indexOf("qcur");
    int status = header.indexOf("status");
    int addr = header.indexOf("addr");
    List<ServerStat> servers = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f.length < header.size() || f[svname].equals("FRONTEND") || f[svname].equals("BACKEND")) {
        continue;
      }
      servers.add(new ServerStat(f[pxname], f[svname], f[status], number(f[scur]), number(f[qcur]),
          addr >= 0 ? f[addr] : ""));
    }
    return servers;
  }

  /**
   * The servers of one backend.
   *
   * @throws DeployException when HAProxy has no such backend (a configuration deploykit did not write)
   */
  public List<ServerStat> servers(String backend) {
    List<ServerStat> servers = servers().stream().filter(s -> s.backend().equals(backend)).toList();
    if (servers.isEmpty()) {
      throw new DeployException("HAProxy has no backend " + backend
          + ": the proxy runs a configuration deploykit did not write; recreate the proxy container");
    }
    return servers;
  }

  private String describe() {
    return address.getHostString() + ":" + address.getPort();
  }

  private static int number(String text) {
    return text.isEmpty() ? 0 : Integer.parseInt(text);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
