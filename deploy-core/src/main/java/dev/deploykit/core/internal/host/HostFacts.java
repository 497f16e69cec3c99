package dev.deploykit.core.internal.host;

import dev.deploykit.core.host.OsRelease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What bootstrap needs to know of a host, read by one unprivileged script: the OS, the user,
 * whether Docker is installed and running, how the host starts services, and whether the user is
 * in the {@code docker} group (as the group database says: what a fresh login gets).
 *
 * @param os the OS, from {@code /etc/os-release}
 * @param user the SSH user
 * @param root whether the user is root (uid 0)
 * @param installed whether {@code dockerd} exists
 * @param packageVersion the installed {@code docker.io} package's version, empty if none
 * @param running whether a {@code dockerd} process runs and its socket exists
 * @param systemd whether systemd is PID 1
 * @param enabled whether the service starts at boot (always true where systemd does not run)
 * @param inDockerGroup whether the user is in the {@code docker} group
 */
public record HostFacts(OsRelease os, String user, boolean root, boolean installed, String packageVersion,
    boolean running, boolean systemd, boolean enabled, boolean inDockerGroup) {

  /** The script: POSIX sh, the engine socket as {@code $1}. */
  public static final String SCRIPT = String.join("\n",
      "s=\"$1\"",
      "(cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null) | sed -n 's/^\\([A-Z_]*\\)=/os.\\1=/p'",
      "u=$(id -un)",
      "echo \"user=$u\"",
      "[ \"$(id -u)\" = 0 ] && echo root=yes || echo root=no",
      "if command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || [ -x /usr/bin/dockerd ];"
          + " then echo installed=yes; else echo installed=no; fi",
      "echo \"package=$(dpkg-query -W -f '${Version}' docker.io 2>/dev/null)\"",
      "if [ -S \"$s\" ] && { pgrep -x dockerd >/dev/null 2>&1 || ! command -v pgrep >/dev/null 2>&1; };"
          + " then echo running=yes; else echo running=no; fi",
      "if [ \"$(cat /proc/1/comm 2>/dev/null)\" = systemd ]; then echo systemd=yes;"
          + " echo \"enabled=$(systemctl is-enabled docker 2>/dev/null)\"; else echo systemd=no; fi",
      "case \" $(id -Gn \"$u\" 2>/dev/null) \" in *\" docker \"*) echo group=yes ;; *) echo group=no ;; esac");

  /** The facts in the script's output. */
  public static HostFacts parse(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> os = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (key.startsWith("os.")) {
        os.put(key.substring(3), unquote(value));
      } else {
        values.put(key, value);
      }
    }
    boolean systemd = yes(values, "systemd");
    return new HostFacts(OsRelease.of(os), values.getOrDefault("user", "?"), yes(values, "root"),
        yes(values, "installed"), values.getOrDefault("package", ""), yes(values, "running"), systemd,
        !systemd || "enabled".equals(values.get("enabled")), yes(values, "group"));
  }

  private static boolean yes(Map<String, String> values, String key) {
    return "yes".equals(values.get(key));
  }

  /** os-release values may be quoted, with backslash escapes inside double quotes. */
  static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
    }
    return value;
  }

}
