package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves, right after authentication, that a channel to the engine's socket opens; when it does
 * not, asks the host why (one short script in a session channel). Where sshd only refuses socket
 * forwarding and the host has a relay ({@code docker system dial-stdio}, or {@code socat}), the
 * engine is reached through that relay instead, said once at INFO; otherwise the failure is one
 * line that names what to do: the docker group, {@code deploykit host bootstrap}, sshd's
 * forwarding setting.
 *
 * <p>Thread safety: stateless.
 */
final class EngineProbe {
  private static final Logger log = LoggerFactory.getLogger(EngineProbe.class);
  private static final long SCRIPT_SECONDS = 10;

  private EngineProbe() {}

  /**
   * Opens and closes one channel to the engine's socket, and says how engine connections go.
   *
   * @throws DeployException ({@link DeployException.Reason#ENGINE_UNAVAILABLE}) saying why the
   *     socket cannot be reached
   * @throws IOException when the connection itself fails meanwhile
   */
  static EngineRoute check(SSHClient ssh, SshSettings settings) throws IOException {
    StreamLocalChannel channel = new StreamLocalChannel(ssh.getConnection(), settings.engineSocket());
    try {
      channel.open();
    } catch (OpenFailException refused) {
      Optional<EngineFacts> facts = facts(ssh, settings);
      // The socket is there and the user may use it, so sshd itself refused: OpenSSH 9 answers
      // ADMINISTRATIVELY_PROHIBITED, OpenSSH 10 CONNECT_FAILED, a server without the channel type
      // UNKNOWN_CHANNEL_TYPE.
      Optional<EngineRoute.Relay> relay = facts
          .filter(f -> f.socket() && f.access())
          .flatMap(f -> EngineRoute.relay(f, settings.engineSocket()));
      if (relay.isEmpty()) {
        throw unavailable(facts, settings, refused);
      }
      log.info("sshd on {} refuses socket forwarding to {} ({}): each engine connection goes through"
          + " `{}` in a session channel instead", settings.hostAndPort(), settings.engineSocket(),
          refused.getReason(), relay.get().tool());
      return relay.get();
    }
    channel.close();
    return new EngineRoute.StreamLocal();
  }

  /** The failure for a refused engine channel, with the host's own facts. */
  static DeployException unavailable(SSHClient ssh, SshSettings settings, Exception refusal) {
    return unavailable(facts(ssh, settings), settings, refusal);
  }

  private static DeployException unavailable(Optional<EngineFacts> facts, SshSettings settings, Exception refusal) {
    String answer = refusal instanceof OpenFailException o
        ? o.getReason() + (o.getMessage() == null || o.getMessage().isBlank() ? "" : ", " + o.getMessage())
        : SshFailures.oneLine(refusal);
    return new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, EngineFacts.explain(
        facts, settings.address(), settings.hostAndPort(), settings.engineSocket(), answer), refusal);
  }

  private static Optional<EngineFacts> facts(SSHClient ssh, SshSettings settings) {
    try (Session session = ssh.startSession()) {
      Session.Command command = session.exec(EngineFacts.command(settings.engineSocket()));
      // The output is a few short lines: it fits the channel window, so reading after join is safe.
      command.join(SCRIPT_SECONDS, TimeUnit.SECONDS);
      byte[] out = command.getInputStream().readNBytes(Math.max(0, command.getInputStream().available()));
      return EngineFacts.parse(new String(out, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      log.debug("Could not ask {} about its engine: {}", settings.hostAndPort(), e.toString());
      return Optional.empty();
    }
  }
}
