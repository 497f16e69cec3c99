package dev.deploykit.cli;

import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.HostAddress;
import dev.deploykit.core.engine.SshHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options that name the Docker engine and how to reach it over SSH, shared by every command.
 * The precedence (--host, then DOCKER_HOST, then the stack file's x-deploykit.host) and the
 * address's form are the library's ({@link HostAddress}); this class only turns options and
 * environment variables into its calls. Secrets come from the environment only, and messages
 * name the variable, never its value.
 */
final class HostOptions {
  /** The variable that may hold a private key's text (for CI). */
  static final String KEY_VARIABLE = "DEPLOYKIT_SSH_KEY";
  /** The variable that may hold the passphrase of encrypted keys. */
  static final String PASSPHRASE_VARIABLE = "DEPLOYKIT_SSH_PASSPHRASE";

  @Option(names = "--host", paramLabel = "ADDRESS", scope = ScopeType.INHERIT,
      description = "The Docker engine: ssh://user@host[:port] for a remote host (or unix:///path,"
          + " tcp://host:port). Default: DOCKER_HOST, else the stack file's x-deploykit.host, else"
          + " the local engine.")
  @Nullable String host;

  @Option(names = {"-i", "--identity"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "A private key to offer over SSH (repeatable; default ~/.ssh/id_ed25519, id_ecdsa,"
          + " id_rsa). For CI, put the key's text in " + KEY_VARIABLE + " and the passphrase of an"
          + " encrypted key in " + PASSPHRASE_VARIABLE + ".")
  List<Path> identities = new ArrayList<>();

  @Option(names = "--known-hosts", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "The known_hosts file that vouches for the host's key (default ~/.ssh/known_hosts).")
  @Nullable Path knownHosts;

  @Option(names = "--accept-new-host-key", scope = ScopeType.INHERIT,
      description = "Trust a host known_hosts does not name yet, appending its key (once). A changed"
          + " key is always refused.")
  boolean acceptNewHostKey;

  /**
   * The engine this run uses and where its name came from.
   *
   * @param stackHost the stack file's x-deploykit.host, or null
   * @throws UserError (bad input) naming the option or variable whose address is bad
   */
  HostAddress target(@Nullable String stackHost, UnaryOperator<@Nullable String> environment) {
    HostAddress target;
    try {
      target = HostAddress.resolve(host, environment.apply("DOCKER_HOST"), stackHost);
    } catch (IllegalArgumentException e) {
      throw UserError.badInput(e.getMessage());
    }
    if (!target.remote() && (!identities.isEmpty() || knownHosts != null || acceptNewHostKey)) {
      throw UserError.badInput(sshOptionsGiven() + " apply to an ssh:// host, but the engine is "
          + target.describe() + "; name one with --host ssh://user@host");
    }
    return target;
  }

  /**
   * The engine at {@code target}, not yet connected.
   *
   * @throws UserError (bad input) when a key file does not exist, the key variable holds no key,
   *     or no key is given and none of the default keys exists
   */
  DockerHost open(HostAddress target, UnaryOperator<@Nullable String> environment) {
    if (!target.remote()) {
      return target.direct();
    }
    try {
      return sshBuilder(target, environment).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw UserError.badInput(e.getMessage() + ". Give a key with --identity FILE, or its text in "
          + KEY_VARIABLE + ".");
    }
  }

  /**
   * The line that tells people which engine the command uses, {@code host ssh://deploy@203.0.113.7:22
   * (from --host)}, or null for the local engine nobody named.
   */
  static @Nullable String line(HostAddress target, Path stackFile) {
    return switch (target.origin()) {
      case DEFAULT -> null;
      case STACK_FILE -> "host " + target.address() + " (from " + target.origin().label() + " in " + stackFile + ")";
      case OPTION, ENVIRONMENT -> "host " + target.describe();
    };
  }

  /**
   * A builder for the SSH host at {@code target} with these options' keys, known_hosts and
   * trust of a new host key, and the key and passphrase from the environment; for commands that
   * need the SSH host itself, not only its engine.
   *
   * @throws IllegalStateException when {@code target} is not {@code ssh://}
   * @throws IllegalArgumentException when the key variable holds no private key
   */
  SshHost.Builder sshBuilder(HostAddress target, UnaryOperator<@Nullable String> environment) {
    SshHost.Builder builder = target.ssh().acceptNewHostKey(acceptNewHostKey);
    identities.forEach(builder::identityFile);
    String key = environment.apply(KEY_VARIABLE);
    if (key != null && !key.isBlank()) {
      builder.identityKeyFromEnvironment(KEY_VARIABLE);
    }
    String passphrase = environment.apply(PASSPHRASE_VARIABLE);
    if (passphrase != null && !passphrase.isEmpty()) {
      builder.passphrase(passphrase.toCharArray());
    }
    if (knownHosts != null) {
      builder.knownHosts(knownHosts);
    }
    return builder;
  }

  private String sshOptionsGiven() {
    List<String> given = new ArrayList<>();
    if (!identities.isEmpty()) {
      given.add("--identity");
    }
    if (knownHosts != null) {
      given.add("--known-hosts");
    }
    if (acceptNewHostKey) {
      given.add("--accept-new-host-key");
    }
    return String.join(" and ", given);
  }
}
