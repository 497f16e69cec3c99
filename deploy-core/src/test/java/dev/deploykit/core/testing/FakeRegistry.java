package dev.deploykit.core.testing;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.RegistryAuth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory registry that {@link FakeDockerHost}s push to and pull from ({@link
 * FakeDockerHost#reaches}): tags and digests, optional credentials, and a switch that takes it
 * off the network. It refuses as the engine reports a real registry's refusal, with the same
 * {@link DeployException.Reason}s.
 *
 * <pre>{@code
 * FakeRegistry registry = new FakeRegistry("registry.example.com").requireLogin("deploy", "s3cret");
 * operator.reaches(registry);
 * host.reaches(registry);
 * }</pre>
 *
 * <p>Thread safety: every method synchronises on the registry.
 */
public final class FakeRegistry {
  private final String server;
  private final Map<String, String> manifests = new HashMap<>();
  private final List<String> pushes = new ArrayList<>();
  private final List<String> pulls = new ArrayList<>();
  private @Nullable String user;
  private @Nullable String password;
  private boolean down;

  /** An empty registry at {@code server} ({@code registry.example.com}, {@code 127.0.0.1:5555}). */
  public FakeRegistry(String server) {
    this.server = Objects.requireNonNull(server, "server");
  }

  /** Accepts only this user and password from now on. */
  public synchronized FakeRegistry requireLogin(String user, String password) {
    this.user = user;
    this.password = password;
    return this;
  }

  /** Takes the registry off the network: every call is refused as a closed port is. */
  public synchronized FakeRegistry down(boolean down) {
    this.down = down;
    return this;
  }

  /** The registry's address as image names start with it. */
  public String server() {
    return server;
  }

  /** Every reference pushed, oldest first. */
  public synchronized List<String> pushes() {
    return List.copyOf(pushes);
  }

  /** Every reference pulled, oldest first. */
  public synchronized List<String> pulls() {
    return List.copyOf(pulls);
  }

  /** The digest under which the registry keeps an image. */
  public static String digestOf(String imageId) {
    return FakeDockerHost.idOf("manifest of " + imageId);
  }

  /** Stores the image under its tag and digest; returns the digest. */
  synchronized String push(String reference, String imageId, @Nullable RegistryAuth auth) {
    check("pushing", reference, auth);
    String digest = digestOf(imageId);
    manifests.put(reference, imageId);
    manifests.put(repository(reference) + "@" + digest, imageId);
    pushes.add(reference);
    return digest;
  }

  /** The image id stored under the reference (a tag or a digest). */
  synchronized String pull(String reference, @Nullable RegistryAuth auth) {
    check("pulling", reference, auth);
    String id = manifests.get(reference);
    if (id == null) {
      throw new DeployException(DeployException.Reason.IMAGE_NOT_IN_REGISTRY, "Registry " + server
          + " has no image " + reference + ": manifest unknown");
    }
    pulls.add(reference);
    return id;
  }

  private void check(String doing, String reference, @Nullable RegistryAuth auth) {
    if (down) {
      throw new DeployException(DeployException.Reason.REGISTRY_UNREACHABLE, "Registry " + server
          + " cannot be reached (" + doing + " " + reference + ": connection refused)");
    }
    if (user != null && (auth == null || !auth.user().equals(user) || !auth.password().equals(password))) {
      throw new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "Registry " + server
          + " refused the credentials of user " + (auth == null ? "(none)" : auth.user())
          + " (" + doing + " " + reference + ": unauthorized: authentication required)");
    }
  }

  private static String repository(String reference) {
    int at = reference.indexOf('@');
    if (at > 0) {
      return reference.substring(0, at);
    }
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(0, colon) : reference;
  }
}
