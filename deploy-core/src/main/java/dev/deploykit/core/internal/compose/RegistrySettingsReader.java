package dev.deploykit.core.internal.compose;

import dev.deploykit.core.RegistrySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code x-deploykit.registry}: the server, the user, and where the password is
 * ({@code password_env} or {@code password_file}). A password written in the stack file itself
 * is refused: stack files are committed and copied; a password must not be.
 */
final class RegistrySettingsReader {
  private static final Set<String> KEYS = Set.of("server", "user", "password_env", "password_file");
  private static final Set<String> LITERAL = Set.of("password", "pass", "token", "secret");

  private RegistrySettingsReader() {}

  /**
   * @param node the block, or null when the stack file names no registry
   * @param directory the Compose file's folder, against which a relative password file resolves
   */
  static @Nullable RegistrySettings read(@Nullable Node node, Path directory) {
    if (node == null || node.isNull()) {
      return null;
    }
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (LITERAL.contains(e.getKey())) {
        throw e.getValue().error("a registry password must not be written in the stack file: name the"
            + " environment variable that holds it (password_env: REGISTRY_PASSWORD) or a file"
            + " (password_file: ./registry-password) instead");
      }
      if (!KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), KEYS)
            + "; registry takes server, user, password_env, password_file");
      }
    }
    for (String required : List.of("server", "user")) {
      if (!keys.containsKey(required) || keys.get(required).isNull()) {
        throw node.error(required + " is required in registry");
      }
    }
    Node env = keys.get("password_env");
    Node file = keys.get("password_file");
    boolean hasEnv = env != null && !env.isNull();
    boolean hasFile = file != null && !file.isNull();
    if (hasEnv == hasFile) {
      throw node.error("registry takes its password from exactly one of password_env (an environment"
          + " variable's name) and password_file (a file's path)" + (hasEnv ? "; both are given" : ""));
    }
    try {
      return new RegistrySettings(keys.get("server").string().strip(), keys.get("user").string().strip(),
          hasEnv ? env.string().strip() : null,
          hasFile ? directory.resolve(file.string().strip()).toAbsolutePath().normalize() : null);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }
}
