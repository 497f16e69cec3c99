package dev.deploykit.core.internal.ssh;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a short script on the host says about its engine, read when the engine's socket cannot be
 * reached: whether the socket exists, whether the user may use it, whether Docker is installed,
 * and the user's groups. Parsed from {@code key=value} lines.
 *
 * @param socket whether the engine socket exists
 * @param access whether the user may read and write it
 * @param installed whether a {@code docker} or {@code dockerd} binary exists
 * @param user the remote user's name
 * @param groups the remote user's groups
 * @param socketGroup the socket's group (empty if unknown)
 * @param dockerCli whether the {@code docker} command exists (it has {@code system dial-stdio})
 * @param socat whether {@code socat} exists
 */
public record EngineFacts(boolean socket, boolean access, boolean installed, String user,
    List<String> groups, String socketGroup, boolean dockerCli, boolean socat) {

  public EngineFacts {
    groups = List.copyOf(groups);
  }

  /**
   * The script: POSIX sh, socket path as {@code $1}, no single quote inside (it is sent quoted).
   */
  public static final String SCRIPT = String.join("\n",
      "s=\"$1\"",
      "[ -S \"$s\" ] && echo socket=yes || echo socket=no",
      "[ -r \"$s\" ] && [ -w \"$s\" ] && echo access=yes || echo access=no",
      "if [ -x /usr/bin/dockerd ] || [ -x /usr/sbin/dockerd ] || command -v docker >/dev/null 2>&1;"
          + " then echo installed=yes; else echo installed=no; fi",
      "echo \"user=$(id -un)\"",
      "echo \"groups=$(id -Gn)\"",
      "echo \"socketgroup=$(stat -c %G \"$s\" 2>/dev/null)\"",
      "command -v docker >/dev/null 2>&1 && echo cli=yes || echo cli=no",
      "command -v socat >/dev/null 2>&1 && echo socat=yes || echo socat=no");

  /** The command line that runs {@link #SCRIPT} for {@code socketPath} under any login shell. */
  public static String command(String socketPath) {
    return "/bin/sh -c " + quote(SCRIPT) + " sh " + quote(socketPath);
  }

  /** Single-quoted for a POSIX shell. */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** The facts in the script's output, if it printed them all. */
  public static Optional<EngineFacts> parse(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    if (!values.keySet().containsAll(List.of("socket", "access", "installed", "user", "groups"))) {
      return Optional.empty();
    }
    return Optional.of(new EngineFacts("yes".equals(values.get("socket")),
        "yes".equals(values.get("access")), "yes".equals(values.get("installed")),
        values.get("user"), List.of(values.get("groups").split("\\s+")),
        values.getOrDefault("socketgroup", ""), "yes".equals(values.get("cli")),
        "yes".equals(values.get("socat"))));
  }

  /**
   * The one line saying why the engine at {@code socketPath} cannot be reached through
   * {@code address} and what to do; {@code refusal} is what sshd answered to the channel.
   */
  public static String explain(Optional<EngineFacts> facts, String address, String hostAndPort,
      String socketPath, String refusal) {
    String bootstrap = "`deploykit host bootstrap --host " + address + "`";
    if (facts.isEmpty()) {
      return "The engine socket " + socketPath + " on " + hostAndPort + " cannot be reached through"
          + " SSH (sshd answered: " + refusal + "), and the host would not say why: check that Docker"
          + " runs there and that its user may use the socket, or run " + bootstrap;
    }
    EngineFacts f = facts.get();
    if (f.socket() && f.access()) {
      return "sshd on " + hostAndPort + " refuses to forward to the engine socket " + socketPath
          + " (sshd answered: " + refusal + "): set `AllowStreamLocalForwarding yes` (and no"
          + " `DisableForwarding`) for " + f.user() + " in /etc/ssh/sshd_config and reload sshd";
    }
    if (f.socket()) {
      String group = f.socketGroup().isEmpty() || f.socketGroup().equals("root") ? "docker" : f.socketGroup();
      return "User " + f.user() + " on " + hostAndPort + " may not use the engine socket " + socketPath
          + " (group " + (f.socketGroup().isEmpty() ? "unknown" : f.socketGroup()) + "; " + f.user()
          + " is in " + String.join(" ", f.groups()) + "): add it to the " + group + " group (`sudo"
          + " usermod -aG " + group + " " + f.user() + "`) and connect again, or run " + bootstrap;
    }
    if (f.installed()) {
      return "Docker is installed on " + hostAndPort + " but its engine is not running (no socket at "
          + socketPath + "): start it (`sudo systemctl enable --now docker`), or run " + bootstrap;
    }
    return "Docker is not installed on " + hostAndPort + " (no engine socket at " + socketPath
        + ", no docker or dockerd): run " + bootstrap;
  }
}
