package dev.deploykit.core.internal.ssh;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts a host key only when known_hosts does: the one verifier deploykit gives sshj. A host that
 * the file does not name at all is trusted only with {@code acceptNew}, and then its key is
 * appended once; a changed or revoked key is always refused. The decision is kept, so that a
 * failed handshake can say why.
 *
 * <p>Thread safety: used by one handshake at a time (sshj's transport thread); the decision is
 * published to the connecting thread through a volatile field.
 */
final class StrictHostKeyVerifier implements HostKeyVerifier {
  private static final Logger log = LoggerFactory.getLogger(StrictHostKeyVerifier.class);

  private final Path file;
  private final boolean acceptNew;
  private volatile @Nullable HostKeyDecision decision;

  StrictHostKeyVerifier(Path file, boolean acceptNew) {
    this.file = file;
    this.acceptNew = acceptNew;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    HostKeyDecision decided = KnownHostsFile.read(file).decide(hostname, port, key);
    if (decided instanceof HostKeyDecision.Unknown && acceptNew) {
      String line = KnownHostsFile.append(file, hostname, port, key);
      log.info("Trusted the new host key of {} ({} {}) and added it to {}",
          HostKeys.knownHostsName(hostname, port), HostKeys.type(key), HostKeys.sha256(key), file);
      decided = new HostKeyDecision.Accepted(file, line);
    }
    decision = decided;
    return decided.trusted();
  }

  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return KnownHostsFile.read(file).keyTypes(hostname, port);
  }

  /** What the last handshake decided, if it got as far as the host key. */
  Optional<HostKeyDecision> decision() {
    return Optional.ofNullable(decision);
  }
}
