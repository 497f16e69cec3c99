package dev.deploykit.core.internal.compose;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.backup.BackupSettings;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.Engine;
import dev.deploykit.core.engine.HostAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the stack's top-level {@code x-deploykit} block into {@link StackSettings}, checking the
 * model's rules first so that an error names the YAML key, the file and the line.
 */
final class StackSettingsReader {
  private static final Set<String> KEYS = Set.of("retain", "proxy_port", "notify_webhook", "db_init",
      "registry", "host", "runpod", "engine");
  private static final Set<String> DB_KEYS = Set.of("service", "port", "database", "user", "password",
      "migrations", "readonly_user", "readonly_password", "timeout", "backup");
  private static final Set<String> BACKUP_KEYS = Set.of("before_migrations", "required", "folder", "store", "volume",
      "keep", "max_age");

  private StackSettingsReader() {}

  /**
   * @param node the block, or null when the file has none
   * @param directory the Compose file's folder, against which a migrations folder resolves
   * @param services the stack's services, one of which db_init names
   */
  static StackSettings read(@Nullable Node node, Path directory, List<Service> services) {
    if (node == null || node.isNull()) {
      return StackSettings.defaults();
    }
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), KEYS)
            + "; the stack's x-deploykit takes db_init, engine, host, notify_webhook, proxy_port, registry, retain, runpod");
      }
    }
    Node db = keys.get("db_init");
    try {
      return new StackSettings(
          retain(keys.get("retain")),
          port(keys.get("proxy_port"), StackSettings.DEFAULT_PROXY_PORT),
          webhook(keys.get("notify_webhook")),
          db == null || db.isNull() ? null : database(db, directory, services),
          RegistrySettingsReader.read(keys.get("registry"), directory),
          host(keys.get("host")),
          RunPodSettingsReader.read(keys.get("runpod"), directory),
          engine(keys.get("engine")));
    } catch (IllegalArgumentException e) {
      // Every rule is checked before; should the model grow one, it still gets a file and line.
      throw node.error(e.getMessage());
    }
  }

  private static Engine engine(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return Engine.HOST;
    }
    String text = node.string().strip();
    for (Engine e : Engine.values()) {
      if (e.key().equals(text)) {
        return e;
      }
    }
    throw node.error("engine must be host (one Docker engine) or swarm (the Swarm cluster the host"
        + " manages), found \"" + text + "\"");
  }

  private static int retain(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return StackSettings.DEFAULT_RETAIN;
    }
    int retain = node.integer();
    if (retain < 1) {
      throw node.error("retain must be at least 1, found " + retain);
    }
    return retain;
  }

  private static int port(@Nullable Node node, int fallback) {
    if (node == null || node.isNull()) {
      return fallback;
    }
    int port = node.integer();
    if (port < 1 || port > 65535) {
      throw node.error("expected a port number 1-65535, found " + port);
    }
    return port;
  }

  private static @Nullable String host(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String address = node.string().strip();
    try {
      new HostAddress(address, HostAddress.Origin.STACK_FILE);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    return address;
  }

  private static @Nullable URI webhook(@Nullable Node node) {
    if (node == null || node.isNull()) {
      return null;
    }
    // The URL holds a secret: the errors say where, never what.
    URI uri;
    try {
      uri = new URI(node.string().strip());
    } catch (URISyntaxException e) {
      throw node.error("not a valid URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw node.error("expected an http(s) URL");
    }
    return uri;
  }

  private static DatabaseSettings database(Node node, Path directory, List<Service> services) {
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!DB_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), DB_KEYS));
      }
    }
    for (String required : List.of("service", "database", "user", "password")) {
      if (!keys.containsKey(required) || keys.get(required).isNull()) {
        throw node.error(required + " is required in db_init");
      }
    }
    String service = keys.get("service").string();
    checkService(node, service, services);
    Node ro = keys.get("readonly_user");
    Node roPassword = keys.get("readonly_password");
    if ((ro == null || ro.isNull()) != (roPassword == null || roPassword.isNull())) {
      throw node.error("readonly_user and readonly_password go together");
    }
    Node timeout = keys.get("timeout");
    Duration wait = timeout == null || timeout.isNull() ? Duration.ofSeconds(60) : ComposeDurations.parse(timeout);
    if (wait.isZero()) {
      throw timeout.error("must be more than 0, found \"" + timeout.string().strip() + "\"");
    }
    return new DatabaseSettings(service, port(keys.get("port"), 5432),
        keys.get("database").string(), keys.get("user").string(), keys.get("password").string(),
        migrations(keys.get("migrations"), directory),
        ro == null ? null : ro.stringOrNull(), roPassword == null ? null : roPassword.stringOrNull(),
        wait, backup(keys.get("backup"), directory));
  }

  /** {@code backup: true|false}, or a block of {@link #BACKUP_KEYS}. */
  private static BackupSettings backup(@Nullable Node node, Path directory) {
    BackupSettings backup = BackupSettings.defaults();
    if (node == null || node.isNull()) {
      return backup;
    }
    if (node.isScalar()) {
      return backup.withBeforeMigrations(node.bool());
    }
    Map<String, Node> keys = node.mapping();
    for (Map.Entry<String, Node> e : keys.entrySet()) {
      if (!BACKUP_KEYS.contains(e.getKey())) {
        throw e.getValue().error("unknown key" + Suggestions.hint(e.getKey(), BACKUP_KEYS)
            + "; db_init.backup takes before_migrations, required, folder, store, volume, keep, max_age");
      }
    }
    boolean before = !keys.containsKey("before_migrations") || keys.get("before_migrations").bool();
    boolean required = !keys.containsKey("required") || keys.get("required").bool();
    Path folder = keys.containsKey("folder") && !keys.get("folder").isNull()
        ? directory.resolve(keys.get("folder").string()).toAbsolutePath().normalize() : null;
    BackupSettings.Store store = BackupSettings.Store.LOCAL;
    if (keys.containsKey("store") && !keys.get("store").isNull()) {
      try {
        store = BackupSettings.Store.parse(keys.get("store").string());
      } catch (IllegalArgumentException e) {
        throw keys.get("store").error(e.getMessage());
      }
    }
    String volume = null;
    if (keys.containsKey("volume") && !keys.get("volume").isNull()) {
      volume = keys.get("volume").string().strip();
      if (!volume.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
        throw keys.get("volume").error("must be a Docker volume name (letters, digits, _ . -), found \"" + volume + "\"");
      }
    }
    int keep = BackupSettings.DEFAULT_KEEP;
    if (keys.containsKey("keep")) {
      keep = keys.get("keep").integer();
      if (keep < 1) {
        throw keys.get("keep").error("must be at least 1, found " + keep);
      }
    }
    Duration maxAge = null;
    Node age = keys.get("max_age");
    if (age != null && !age.isNull()) {
      String text = age.string().strip();
      maxAge = text.matches("\\d+d") ? Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)))
          : ComposeDurations.parse(age);
      if (maxAge.isZero()) {
        throw age.error("must be more than 0, found \"" + text + "\"");
      }
    }
    return new BackupSettings(before, required, folder, store, volume, keep, maxAge);
  }

  private static void checkService(Node node, String name, List<Service> services) {
    Service service = services.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> node.error("service " + name + " is not in the stack"
            + Suggestions.hint(name, services.stream().map(Service::name).toList())));
    if (service.role() != Role.ACCESSORY) {
      throw node.error("service " + name + " must be an accessory to hold the database");
    }
  }

  private static List<String> migrations(@Nullable Node node, Path directory) {
    List<String> migrations = new ArrayList<>();
    if (node == null || node.isNull()) {
      return migrations;
    }
    for (String location : node.strings()) {
      if (location.startsWith("classpath:") || location.startsWith("filesystem:")) {
        migrations.add(location);
      } else {
        Path folder = directory.resolve(location).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
          throw node.error("migrations folder " + folder + " does not exist");
        }
        migrations.add("filesystem:" + folder);
      }
    }
    return migrations;
  }
}
