package dev.deploykit.digitalocean.internal;

import dev.deploykit.digitalocean.DigitalOceanException;
import dev.deploykit.digitalocean.DigitalOceanException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The droplet's cloud-config: the deploy user (in the docker group, the operator's key, no
 * password), the host key made on the operator's side (so the first connection is verified), and
 * docker.io installed and started. {@link #validate} checks it offline before it is sent: the
 * {@code #cloud-config} header, YAML that parses, only the modules this file uses, each with the
 * shape cloud-init's schema asks for, and DigitalOcean's 64 KiB limit.
 */
public final class CloudConfig {
  /** DigitalOcean's limit on user_data. */
  public static final int MAX_BYTES = 64 * 1024;
  private static final Set<String> MODULES = Set.of("groups", "users", "ssh_deletekeys", "ssh_genkeytypes",
      "ssh_keys", "ssh_pwauth", "disable_root", "package_update", "packages", "runcmd");
  private static final String START_DOCKER = "systemctl enable --now docker 2>/dev/null"
      + " || service docker start"
      + " || setsid -f dockerd >>/var/log/dockerd.log 2>&1 </dev/null";

  private CloudConfig() {}

  /** The cloud-config text for {@code user} with {@code authorizedKey} and the host key. */
  public static String render(String user, String authorizedKey, OpenSshKeys.HostKey hostKey) {
    StringBuilder out = new StringBuilder();
    out.append("#cloud-config\n");
    out.append("# deploykit: the deploy user, a host key made by the operator, Docker.\n");
    out.append("groups: [docker]\n");
    out.append("users:\n");
    out.append("  - name: ").append(user).append('\n');
    out.append("    groups: [docker]\n");
    out.append("    shell: /bin/bash\n");
    out.append("    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n");
    out.append("    lock_passwd: true\n");
    out.append("    ssh_authorized_keys:\n");
    out.append("      - ").append(quoted(authorizedKey.strip())).append('\n');
    // No ssh_pwauth: droplets made with keys have password login off, and setting it makes
    // cloud-init restart sshd while the first connections are being made.
    out.append("disable_root: true\n");
    out.append("ssh_deletekeys: true\n");
    out.append("ssh_genkeytypes: [ed25519]\n");
    out.append("ssh_keys:\n");
    out.append("  ed25519_private: |\n");
    hostKey.privatePem().lines().forEach(line -> out.append("    ").append(line).append('\n'));
    out.append("  ed25519_public: ").append(quoted(hostKey.publicLine())).append('\n');
    out.append("package_update: true\n");
    out.append("packages: [docker.io]\n");
    out.append("runcmd:\n");
    out.append("  - [sh, -c, ").append(quoted(START_DOCKER)).append("]\n");
    return out.toString();
  }

  /**
   * Checks the text as cloud-init would read it.
   *
   * @throws DigitalOceanException ({@link Kind#INVALID_REQUEST}) naming what is wrong
   */
  public static void validate(String text) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw invalid("it is " + bytes + " bytes; DigitalOcean takes at most 64 KiB (" + MAX_BYTES + " bytes)");
    }
    if (!text.startsWith("#cloud-config\n")) {
      throw invalid("its first line is not #cloud-config");
    }
    Object loaded;
    try {
      loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
    } catch (RuntimeException e) {
      throw invalid("it is not YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(loaded instanceof Map<?, ?> config)) {
      throw invalid("it is not a mapping of modules");
    }
    for (Object key : config.keySet()) {
      if (!MODULES.contains(String.valueOf(key))) {
        throw invalid("it names a module deploykit does not use: " + key);
      }
    }
    if (!(config.get("users") instanceof List<?> users) || users.isEmpty()
        || !(users.get(0) instanceof Map<?, ?> user) || !(user.get("name") instanceof String)
        || !(user.get("ssh_authorized_keys") instanceof List<?> keys) || keys.isEmpty()) {
      throw invalid("users must list one user with a name and ssh_authorized_keys");
    }
    if (!(config.get("ssh_keys") instanceof Map<?, ?> hostKeys)
        || !(hostKeys.get("ed25519_private") instanceof String priv)
        || !priv.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")
        || !(hostKeys.get("ed25519_public") instanceof String pub) || !pub.startsWith("ssh-ed25519 ")) {
      throw invalid("ssh_keys must hold ed25519_private (an OpenSSH private key) and ed25519_public");
    }
    if (config.get("ssh_genkeytypes") instanceof List<?> types && types.isEmpty()) {
      throw invalid("ssh_genkeytypes must not be empty (cloud-init's schema: minItems 1)");
    }
    if (!(config.get("runcmd") instanceof List<?> commands) || commands.isEmpty()) {
      throw invalid("runcmd must start Docker");
    }
  }

  private static DigitalOceanException invalid(String why) {
    return new DigitalOceanException(Kind.INVALID_REQUEST, "the droplet's cloud-config is invalid: " + why);
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
