package dev.deploykit.core.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Runtime API of a fake HAProxy, as deploykit drives it: the backends and servers of the
 * configuration written into the proxy container (read at its start, as HAProxy does), and the
 * commands {@code show info}, {@code show stat}, {@code set server B/S addr IP port P} and
 * {@code set server B/S state ready|drain|maint}, answered as HAProxy 3.0 answers them. A
 * draining server holds sessions as the host's drain script says.
 *
 * <p>Guarded by its host.
 */
final class FakeHaproxy {
  private static final Pattern BACKEND = Pattern.compile("^\\s*backend\\s+(\\S+)");
  private static final Pattern SERVER = Pattern.compile("^\\s*server\\s+(\\S+)\\s+([^:\\s]+):(\\d+)(.*)$");
  private static final Pattern SET_ADDR =
      Pattern.compile("^set server (\\S+)/(\\S+) addr (\\S+) port (\\d+)$");
  private static final Pattern SET_STATE = Pattern.compile("^set server (\\S+)/(\\S+) state (\\S+)$");
  private static final String HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,weight,act,bck,addr,";

  /** How a draining server's sessions end: after {@code takes}, or never. */
  record Drain(Duration takes, int sessions, boolean forever) {
    static final Drain AT_ONCE = new Drain(Duration.ZERO, 0, false);

    int sessions(Duration draining) {
      return forever || draining.compareTo(takes) < 0 ? sessions : 0;
    }
  }

  /** One server slot of a backend. */
  static final class Server {
    final String backend;
    final String name;
    String host;
    int port;
    String state;
    long drainSince;

    Server(String backend, String name, String host, int port, String state) {
      this.backend = backend;
      this.name = name;
      this.host = host;
      this.port = port;
      this.state = state;
    }

    String address() {
      return host + ":" + port;
    }
  }

  private final Map<String, Map<String, Server>> backends = new LinkedHashMap<>();
  private final Consumer<Server> onDrain;

  private FakeHaproxy(Consumer<Server> onDrain) {
    this.onDrain = onDrain;
  }

  /**
   * HAProxy started with {@code config}; servers marked {@code disabled} start in maintenance.
   *
   * @throws IllegalArgumentException when the configuration has no backend with a server
   */
  static FakeHaproxy start(String config, Consumer<Server> onDrain) {
    FakeHaproxy proxy = new FakeHaproxy(onDrain);
    String backend = null;
    for (String line : config.lines().toList()) {
      Matcher b = BACKEND.matcher(line);
      Matcher s = SERVER.matcher(line);
      if (b.find()) {
        backend = b.group(1);
        proxy.backends.put(backend, new LinkedHashMap<>());
      } else if (s.find() && backend != null) {
        String state = s.group(4).contains("disabled") ? "maint" : "ready";
        proxy.backends.get(backend).put(s.group(1),
            new Server(backend, s.group(1), s.group(2), Integer.parseInt(s.group(3)), state));
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        backend = null;
      }
    }
    if (proxy.backends.values().stream().allMatch(Map::isEmpty)) {
      throw new IllegalArgumentException("the configuration has no backend with a server");
    }
    return proxy;
  }

  /** HAProxy's answer to one command line. */
  String execute(String command, long now, Drain drain) {
    String c = command.strip();
    if (c.equals("show info")) {
      return "Name: HAProxy\nVersion: 3.0.0-fake\nRelease_date: 2024/05/29\nPid: 1\nUptime_sec: 1\n";
    }
    if (c.equals("show stat")) {
      return showStat(now, drain);
    }
    Matcher addr = SET_ADDR.matcher(c);
    if (addr.matches()) {
      return setAddress(addr.group(1), addr.group(2), addr.group(3), Integer.parseInt(addr.group(4)));
    }
    Matcher state = SET_STATE.matcher(c);
    if (state.matches()) {
      return setState(state.group(1), state.group(2), state.group(3), now);
    }
    return "Unknown command: '" + c + "'\n";
  }

  private String setAddress(String backend, String server, String host, int port) {
    Optional<Server> s = server(backend, server);
    if (s.isEmpty()) {
      return backends.containsKey(backend) ? "No such server.\n" : "No such backend.\n";
    }
    Server sv = s.get();
    String answer = (sv.host.equals(host) ? "no need to change the addr"
        : "IP changed from '" + sv.host + "' to '" + host + "'")
        + (sv.port == port ? "" : ", port changed from '" + sv.port + "' to '" + port + "'")
        + " by 'stats socket command'\n";
    sv.host = host;
    sv.port = port;
    return answer;
  }

  private String setState(String backend, String server, String state, long now) {
    Optional<Server> s = server(backend, server);
    if (s.isEmpty()) {
      return backends.containsKey(backend) ? "No such server.\n" : "No such backend.\n";
    }
    if (!List.of("ready", "drain", "maint").contains(state)) {
      return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
    }
    Server sv = s.get();
    boolean startsDraining = state.equals("drain") && !sv.state.equals("drain");
    sv.state = state;
    if (startsDraining) {
      sv.drainSince = now;
      onDrain.accept(sv);
    }
    return "";
  }

  private String showStat(long now, Drain drain) {
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (Map.Entry<String, Map<String, Server>> b : backends.entrySet()) {
      csv.append(b.getKey()).append(",FRONTEND,,,0,0,,0,OPEN,,,,,\n");
      for (Server s : b.getValue().values()) {
        csv.append(b.getKey()).append(',').append(s.name).append(",0,0,").append(sessions(s, now, drain))
            .append(",0,,0,").append(status(s)).append(",1,1,0,").append(s.address()).append(",\n");
      }
      csv.append(b.getKey()).append(",BACKEND,0,0,0,0,,0,UP,1,1,0,,\n");
    }
    return csv.append('\n').toString();
  }

  private static String status(Server s) {
    return switch (s.state) {
      case "maint" -> "MAINT";
      case "drain" -> "DRAIN";
      default -> "no check";
    };
  }

  int sessions(Server s, long now, Drain drain) {
    return s.state.equals("drain") ? drain.sessions(Duration.ofNanos(now - s.drainSince)) : 0;
  }

  Optional<Server> server(String backend, String server) {
    return Optional.ofNullable(backends.get(backend)).map(m -> m.get(server));
  }

  /** The servers of the backend, in configuration order (empty for an unknown backend). */
  List<Server> servers(String backend) {
    return new ArrayList<>(backends.getOrDefault(backend, Map.of()).values());
  }

  boolean draining() {
    return backends.values().stream().flatMap(m -> m.values().stream()).anyMatch(s -> s.state.equals("drain"));
  }
}
