package dev.deploykit.core.engine;

import java.util.Objects;

/**
 * Credentials for one registry, sent with a push or pull in the engine call itself (the
 * {@code X-Registry-Auth} header): nothing is written to the host's disk and no
 * {@code docker login} is run.
 *
 * <pre>{@code
 * RegistryAuth auth = new RegistryAuth("registry.example.com", "deploy", System.getenv("REGISTRY_PASSWORD"));
 * String digest = host.push("registry.example.com/shop/web:v2", auth, Duration.ofMinutes(10), TransferProgress.NONE);
 * }</pre>
 *
 * <p>{@link #toString()} never shows the password. Thread safety: immutable.
 *
 * @param server the registry's address as images name it ({@code registry.example.com},
 *     {@code 127.0.0.1:5000})
 * @param user the user name
 * @param password the password or token
 */
public record RegistryAuth(String server, String user, String password) {

  /**
   * Validates the credentials.
   *
   * @throws IllegalArgumentException when the server or user is blank
   * @throws NullPointerException when a value is null
   */
  public RegistryAuth {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (server.isBlank() || user.isBlank()) {
      throw new IllegalArgumentException("a registry's server and user must not be blank");
    }
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RegistryAuth[server=" + server + ", user=" + user + ", password=***]";
  }
}
