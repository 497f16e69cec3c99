package dev.deploykit.core.internal.host;

/** The scripts bootstrap runs as root, and what their output means. */
final class Scripts {
  /**
   * Starts and enables the daemon: {@code systemctl enable --now docker} where systemd is PID 1,
   * else {@code service docker start}, else {@code dockerd} in the background (its own session,
   * its log in /var/log/dockerd.log). Prints {@code via=...}.
   */
  static final String START_DAEMON = String.join("\n",
      "if [ \"$(cat /proc/1/comm 2>/dev/null)\" = systemd ]; then",
      "  systemctl enable --now docker && echo via=systemctl",
      "  exit",
      "fi",
      "if [ -x /etc/init.d/docker ] && command -v service >/dev/null 2>&1 && service docker start >/tmp/deploykit-service.log 2>&1; then",
      "  echo via=service",
      "  exit 0",
      "fi",
      "setsid -f dockerd >>/var/log/dockerd.log 2>&1 </dev/null && echo via=dockerd");

  private Scripts() {}

  /** How {@link #START_DAEMON} started it, for the step's line. */
  static String startedWith(String output) {
    if (output.contains("via=systemctl")) {
      return "systemctl enable --now docker";
    }
    if (output.contains("via=service")) {
      return "service docker start";
    }
    return "dockerd in the background (log: /var/log/dockerd.log)";
  }
}
