package dev.deploykit.core.internal.haproxy;

import dev.deploykit.health.wait.TimeSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HAProxy Runtime API on a loopback port, for one backend of slot groups as {@link
 * HaproxyConfig#renderSlotGroups} writes it, behaving as HAProxy 3.0 was seen to behave: a server
 * given an FQDN takes one of the name's addresses that no other server of that name holds (a
 * server left without one is {@code MAINT (resolution)}), a ready server is UP once its address is
 * healthy, a draining one keeps its sessions until they finish. Doubles as the fake clock: each
 * sleep advances time and ends one open session on every draining server.
 */
final class FakeSlotProxy implements AutoCloseable, TimeSource {
  private static final Pattern SET = Pattern.compile("set server (\\S+)/(\\S+) (fqdn|state|health) (\\S+)");

  final String backend;
  final Map<String, Slot> slots = new LinkedHashMap<>();
  final Map<String, List<String>> dns = new HashMap<>();
  final Set<String> healthy = new HashSet<>();
  final List<String> commands = new ArrayList<>();
  private final ServerSocket socket;
  private long nanos;
  private int sleeps;
  /** Called with the sleep's number (1, 2, ...) on each sleep: a script of what changes over time. */
  java.util.function.IntConsumer eachSleep = n -> {};

  static final class Slot {
    String fqdn = "-";
    String state = "maint";
    String address = "";
    int sessions;
    boolean forcedDown;
  }

  FakeSlotProxy(String backend, int slotsPerGroup) throws IOException {
    this.backend = backend;
    for (String g : List.of("a", "b")) {
      for (int i = 1; i <= slotsPerGroup; i++) {
        slots.put(g + i, new Slot());
      }
    }
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serve);
  }

  RuntimeApi api() {
    return new RuntimeApi(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()),
        Duration.ofSeconds(5));
  }

  /** Points a group at a name outright, as a switch that finished before would have left it. */
  synchronized void serve(String group, String fqdn) {
    slots.forEach((name, s) -> {
      if (name.startsWith(group)) {
        s.fqdn = fqdn;
        s.state = "ready";
      }
    });
  }

  synchronized String status(String server) {
    resolve();
    return status(slots.get(server));
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        String line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        OutputStream out = client.getOutputStream();
        out.write(answer(line == null ? "" : line.strip()).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // closed: the test is over
      }
    }
  }

  private synchronized String answer(String command) {
    resolve();
    if (command.equals("show stat")) {
      StringBuilder csv = new StringBuilder("# pxname,svname,qcur,scur,status,addr\n");
      slots.forEach((name, s) -> csv.append(backend).append(',').append(name).append(",0,").append(s.sessions)
          .append(',').append(status(s)).append(',').append(s.address.isEmpty() ? "" : s.address + ":8080").append('\n'));
      return csv.toString();
    }
    if (command.equals("show servers state " + backend)) {
      StringBuilder state = new StringBuilder("1\n# be_id be_name srv_id srv_name srv_addr srv_fqdn\n");
      int id = 1;
      for (Map.Entry<String, Slot> e : slots.entrySet()) {
        state.append("3 ").append(backend).append(' ').append(id++).append(' ').append(e.getKey()).append(' ')
            .append(e.getValue().address.isEmpty() ? "-" : e.getValue().address).append(' ')
            .append(e.getValue().fqdn).append('\n');
      }
      return state.toString();
    }
    commands.add(command);
    Matcher m = SET.matcher(command);
    if (!m.matches() || !m.group(1).equals(backend) || !slots.containsKey(m.group(2))) {
      return "Unknown command or server.\n";
    }
    Slot s = slots.get(m.group(2));
    if (m.group(3).equals("fqdn")) {
      String before = s.fqdn;
      s.fqdn = m.group(4);
      s.address = "";
      return backend + "/" + m.group(2) + " changed its FQDN from " + before + " to " + s.fqdn
          + " by 'stats socket command'\n";
    }
    if (m.group(3).equals("health")) {
      s.forcedDown = m.group(4).equals("down");
      return "";
    }
    s.state = m.group(4);
    return "";
  }

  /** Each name's addresses go to its servers in order, one address per server at most. */
  private void resolve() {
    Map<String, List<String>> free = new HashMap<>();
    dns.forEach((name, ips) -> free.put(name, new ArrayList<>(ips)));
    for (Slot s : slots.values()) {
      List<String> left = free.get(s.fqdn);
      if (left != null && left.contains(s.address)) {
        left.remove(s.address);
      } else if (!s.fqdn.equals("-")) {
        s.address = "";
      }
    }
    for (Slot s : slots.values()) {
      List<String> left = free.get(s.fqdn);
      if (s.address.isEmpty() && left != null && !left.isEmpty()) {
        s.address = left.removeFirst();
      }
    }
  }

  private String status(Slot s) {
    if (s.state.equals("maint")) {
      return "MAINT";
    }
    if (s.address.isEmpty()) {
      return "MAINT (resolution)";
    }
    if (!healthy.contains(s.address)) {
      return "DOWN";
    }
    return s.state.equals("drain") ? "DRAIN" : "UP";
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return Instant.EPOCH.plusNanos(nanoTime());
  }

  @Override
  public synchronized void sleep(Duration duration) {
    nanos += duration.toNanos();
    eachSleep.accept(++sleeps);
    slots.values().forEach(s -> {
      if (s.state.equals("drain") && s.sessions > 0) {
        s.sessions--;
      }
    });
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
