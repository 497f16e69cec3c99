package dev.deploykit.core.internal.docker;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.RegistryAuth;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a registry's refusal means, read from the engine's message (the engine passes the
 * registry's error on as text): refused credentials, a missing image, an unreachable registry.
 * The message names the registry and the user, never the password.
 */
final class RegistryFailures {
  private static final List<String> REFUSED = List.of("unauthorized", "authentication required",
      "no basic auth credentials", "incorrect username or password", "denied");
  private static final List<String> MISSING = List.of("manifest unknown", "not found", "name unknown",
      "does not exist", "blob unknown");
  private static final List<String> UNREACHABLE = List.of("connection refused", "no such host",
      "i/o timeout", "dial tcp", "connection reset", "no route to host", "timeout exceeded",
      "server misbehaving", "\": eof");

  /** docker-java's wrapping of an engine error: {@code Status 500: {"message":"..."}}. */
  private static final Pattern ENGINE_ANSWER =
      Pattern.compile("(?s)^Status \\d+: \\{\"message\":\"(.*)\"\\}$");

  private RegistryFailures() {}

  static DeployException of(String doing, String image, @Nullable RegistryAuth auth, String engine,
      @Nullable String answer, @Nullable Throwable cause) {
    String registry = ImageReference.registryOf(image);
    String said = answer == null ? "no message" : ENGINE_ANSWER.matcher(answer.strip()).replaceFirst("$1")
        .replace("\\\"", "\"").replaceAll("\\s*\\n\\s*", " ");
    String lower = said.toLowerCase(Locale.ROOT);
    String where = " (" + doing + " " + image + " on " + engine + ": " + said + ")";
    DeployException e;
    if (any(lower, UNREACHABLE)) {
      e = new DeployException(DeployException.Reason.REGISTRY_UNREACHABLE, "Registry " + registry
          + " cannot be reached" + where + ": check that it runs and that " + registry
          + " is its address as the engine sees it", cause);
    } else if (any(lower, REFUSED)) {
      e = new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "Registry " + registry
          + (auth == null ? " asks for credentials and none were given" : " refused the credentials of user "
          + auth.user()) + where + ": check the user and the password the stack file's registry names", cause);
    } else if (any(lower, MISSING)) {
      e = new DeployException(DeployException.Reason.IMAGE_NOT_IN_REGISTRY, "Registry " + registry
          + " has no image " + image + where + ": push it first, or check its name, tag or digest", cause);
    } else {
      e = new DeployException(DeployException.Reason.FAILED, "Image " + image + " cannot be "
          + (doing.equals("pushing") ? "pushed" : "pulled") + where, cause);
    }
    return e;
  }

  private static boolean any(String text, List<String> needles) {
    return needles.stream().anyMatch(text::contains);
  }
}
