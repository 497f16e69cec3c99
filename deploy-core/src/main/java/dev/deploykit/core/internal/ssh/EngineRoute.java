package dev.deploykit.core.internal.ssh;

import java.util.Optional;

/**
 * How each engine connection crosses the SSH connection: a {@code direct-streamlocal} channel
 * straight to the socket (no process on the host), or, where sshd refuses socket forwarding, a
 * session channel running a relay between its stdin/stdout and the socket ({@code docker system
 * dial-stdio}, as the docker CLI does for {@code ssh://}, or {@code socat}).
 *
 * <p>Thread safety: immutable.
 */
sealed interface EngineRoute {

  /** The engine socket through {@code direct-streamlocal@openssh.com}. */
  record StreamLocal() implements EngineRoute {}

  /**
   * The engine socket through a relay process in a session channel.
   *
   * @param command the command line the session runs
   * @param tool what relays, for messages ({@code docker system dial-stdio} or {@code socat})
   */
  record Relay(String command, String tool) implements EngineRoute {}

  /**
   * The relay for {@code socket}, if the host has one: the docker CLI's {@code system dial-stdio},
   * else {@code socat}. The command is run with {@code exec}, so closing the channel (EOF on its
   * stdin, then a broken stdout) ends the relay itself, not only a shell around it.
   */
  static Optional<Relay> relay(EngineFacts facts, String socket) {
    if (facts.dockerCli()) {
      return Optional.of(new Relay("exec docker -H " + EngineFacts.quote("unix://" + socket)
          + " system dial-stdio", "docker system dial-stdio"));
    }
    if (facts.socat()) {
      return Optional.of(new Relay("exec socat - " + EngineFacts.quote("UNIX-CONNECT:" + socket), "socat"));
    }
    return Optional.empty();
  }
}
