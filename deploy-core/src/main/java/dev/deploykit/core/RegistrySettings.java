package dev.deploykit.core;

import dev.deploykit.core.engine.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The registry a stack's images travel through to a remote host (the stack file's
 * {@code x-deploykit.registry}): deploykit pushes the release's images there from the operator's
 * engine, pins them by digest, and the host pulls them with these credentials sent in the call.
 * The password is never part of the settings: it is read, when a release needs it, from an
 * environment variable or a file.
 *
 * <pre>{@code
 * StackSettings settings = StackSettings.defaults().withRegistry(
 *     RegistrySettings.passwordFromEnvironment("registry.example.com", "deploy", "REGISTRY_PASSWORD"));
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param server the registry's address as image names start with it ({@code registry.example.com},
 *     {@code registry.example.com:5000}, {@code 127.0.0.1:5000})
 * @param user the user the registry knows
 * @param passwordEnv the environment variable holding the password, or null when a file does
 * @param passwordFile the file holding the password (one line), or null when a variable does
 */
public record RegistrySettings(String server, String user, @Nullable String passwordEnv,
    @Nullable Path passwordFile) {

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException when the server or user is blank, the server has a scheme
   *     or a path, or not exactly one of {@code passwordEnv} and {@code passwordFile} is given
   */
  public RegistrySettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(user, "user");
    if (server.isBlank() || server.contains("://") || server.contains("/")) {
      throw new IllegalArgumentException("registry server must be a host[:port] such as"
          + " registry.example.com, was \"" + server + "\"");
    }
    if (user.isBlank()) {
      throw new IllegalArgumentException("registry user must not be blank");
    }
    if ((passwordEnv == null) == (passwordFile == null)) {
      throw new IllegalArgumentException("a registry takes its password from exactly one of"
          + " password_env and password_file");
    }
    if (passwordEnv != null && passwordEnv.isBlank()) {
      throw new IllegalArgumentException("password_env must name an environment variable");
    }
  }

  /** A registry whose password is in the environment variable {@code variable}. */
  public static RegistrySettings passwordFromEnvironment(String server, String user, String variable) {
    return new RegistrySettings(server, user, Objects.requireNonNull(variable, "variable"), null);
  }

  /** A registry whose password is the first line of {@code file}. */
  public static RegistrySettings passwordFromFile(String server, String user, Path file) {
    return new RegistrySettings(server, user, null, Objects.requireNonNull(file, "file"));
  }

  /**
   * The name an image gets in this registry: the server, then the image's repository without
   * the registry it named ({@code deploykit.local/sample-app:v2} becomes
   * {@code registry.example.com/sample-app:v2}; {@code shop/web} becomes
   * {@code registry.example.com/shop/web:latest}).
   */
  public String imageName(String image) {
    return imageName(server, image);
  }

  /**
   * {@link #imageName(String)} for any registry address.
   *
   * @param server the registry's address, {@code host[:port]}
   * @param image the image as the stack names it
   */
  public static String imageName(String server, String image) {
    String rest = image;
    int slash = image.indexOf('/');
    if (slash > 0) {
      String first = image.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        rest = image.substring(slash + 1);
      }
    }
    int at = rest.indexOf('@');
    if (at > 0) {
      rest = rest.substring(0, at);
    }
    boolean tagged = rest.lastIndexOf(':') > rest.lastIndexOf('/');
    return server + "/" + rest + (tagged ? "" : ":latest");
  }

  /**
   * The credentials, with the password read now.
   *
   * @param environment the environment variables, for example {@code System::getenv}
   * @throws DeployException with {@link DeployException.Reason#REGISTRY_CREDENTIALS} naming the
   *     variable or file when the variable is unset or empty, or the file is missing, unreadable
   *     or empty (never the password)
   */
  public RegistryAuth credentials(Function<String, @Nullable String> environment) {
    String password = passwordEnv != null ? fromEnvironment(environment) : fromFile();
    return new RegistryAuth(server, user, password);
  }

  private String fromEnvironment(Function<String, @Nullable String> environment) {
    String value = environment.apply(passwordEnv);
    if (value == null || value.isEmpty()) {
      throw new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "The password of registry "
          + server + " (user " + user + ") comes from the environment variable " + passwordEnv
          + ", which is " + (value == null ? "not set" : "empty") + ": export it before deploying");
    }
    return value;
  }

  private String fromFile() {
    Path file = Objects.requireNonNull(passwordFile);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "The password file of registry "
          + server + " (user " + user + "), " + file + ", does not exist: create it or fix password_file");
    } catch (IOException e) {
      throw new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "The password file of registry "
          + server + " (user " + user + "), " + file + ", cannot be read: " + e.getMessage());
    }
    String password = text.lines().findFirst().orElse("").strip();
    if (password.isEmpty()) {
      throw new DeployException(DeployException.Reason.REGISTRY_CREDENTIALS, "The password file of registry "
          + server + " (user " + user + "), " + file + ", is empty");
    }
    return password;
  }
}
