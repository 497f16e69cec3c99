package dev.deploykit.digitalocean;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Provisioner#up} did.
 *
 * @param droplet the droplet, active, with its public address
 * @param host the address to deploy to, {@code ssh://deploy@203.0.113.7}
 * @param hostKeyFingerprint the pinned host key's SHA256 fingerprint
 * @param engineVersion the droplet's Docker version
 * @param changes what this run changed, one line each; empty when there was nothing to do
 * @param firewall the firewall applied to the droplet
 * @param reservedIp the reserved IP assigned, or null
 * @param apiCalls requests sent to the API by this run
 * @param apiRetries requests sent again (429s, failures that may heal)
 * @param millis how long the run took
 */
public record UpResult(Droplet droplet, String host, String hostKeyFingerprint, String engineVersion,
    List<String> changes, Firewall firewall, @Nullable String reservedIp, long apiCalls, long apiRetries,
    long millis) {
  public UpResult {
    changes = List.copyOf(changes);
  }

  /** Whether everything was already as asked. */
  public boolean nothingToDo() {
    return changes.isEmpty();
  }
}
