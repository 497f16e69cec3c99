package dev.deploykit.cli;

import java.util.Optional;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", description = {
    "The stack as deploykit reads it, secrets redacted.",
    "The stack as deploykit reads it: variables interpolated, defaults filled in, images as"
        + " written. Secrets are redacted: environment values of keys that look secret"
        + " (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL), database passwords and the webhook URL.",
    "With --env-file FILE --check: which variables the stack refers to are missing from FILE"
        + " (no default, not set), which in FILE the stack never refers to (unknown), and which are"
        + " empty; exit 2 when one is missing. Values are never printed.",
    "Touches no host."})
final class ConfigCommand implements Callable<Integer> {
  static final String REDACTED = "***";
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL).*");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(://[^:/@\\s]+:)[^@\\s]+@");
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)(password=)[^&\\s]+");

  @ParentCommand Deploykit root;

  @picocli.CommandLine.Mixin StackFileOption stackFile;

  @picocli.CommandLine.Option(names = "--env-file", paramLabel = "FILE",
      description = "A dotenv file (such as .env.production) to check against the stack; needs --check.")
  java.nio.file.@org.jspecify.annotations.Nullable Path envFile;

  @picocli.CommandLine.Option(names = "--check",
      description = "Report missing, unknown and empty variables of --env-file; exit 2 when one is missing.")
  boolean check;

  @Override
  public Integer call() {
    Console console = root.console();
    if (check || envFile != null) {
      return check(console);
    }
    Map<String, Object> doc = document(root.loadStack());
    root.target();
    if (console.json()) {
      console.json(Json.write(doc));
    } else {
      DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
      console.line(new Dump(settings).dumpToString(doc).stripTrailing());
    }
    return ExitCodes.OK;
  }

  private int check(Console console) {
    if (envFile == null || !check) {
      throw UserError.badInput("--env-file and --check go together: deploykit config --env-file"
          + " .env.production --check");
    }
    java.nio.file.Path stack = root.stackFile();
    // Not root.loadStack(): the shell's environment would decide what this check reports.
    if (!java.nio.file.Files.isRegularFile(stack)) {
      throw UserError.badInput("No stack file at " + stack.toAbsolutePath().normalize()
          + ". Name one with -f FILE, for example: deploykit -f examples/compose.yaml config"
          + " --env-file .env.production --check");
    }
    dev.deploykit.core.EnvFileCheck result = dev.deploykit.core.EnvFileCheck.of(stack, envFile);
    int code = result.complete() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    if (console.json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("status", ExitCodes.status(code));
      doc.put("env_file", envFile.toString());
      doc.put("stack_file", stack.toString());
      doc.put("missing", result.missing());
      doc.put("unknown", result.unknown());
      doc.put("empty", result.empty());
      console.json(Json.write(doc));
    } else {
      console.line(checkText(result, envFile, stack));
    }
    return code;
  }

  /** The human report of an env-file check: a summary line, then one line per finding. */
  static String checkText(dev.deploykit.core.EnvFileCheck result, java.nio.file.Path envFile,
      java.nio.file.Path stack) {
    StringBuilder s = new StringBuilder();
    s.append(envFile).append(" against ").append(stack).append(": ")
        .append(result.missing().size()).append(" missing, ")
        .append(result.unknown().size()).append(" unknown, ")
        .append(result.empty().size()).append(" empty");
    result.missing().forEach(n -> s.append("\nmissing  ").append(n)
        .append("  (referenced by the stack, not set, no default): add ").append(n).append("=... to ").append(envFile));
    result.unknown().forEach(n -> s.append("\nunknown  ").append(n).append("  (in the file, not referenced by the stack)"));
    result.empty().forEach(n -> s.append("\nempty    ").append(n).append("  (set to an empty value)"));
    return s.toString();
  }

  /** The stack as plain maps, secrets redacted. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> document(Stack stack) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", stack.name());
    // The plain settings as the file names them; the webhook and the database are redacted below.
    Map<String, Object> x = new LinkedHashMap<>(
        (Map<String, Object>) plain(stack.settings().withNotifyWebhook(null).withDatabase(null)));
    Optional.ofNullable(stack.settings().notifyWebhook()).ifPresent(w -> x.put("notify_webhook", w.getScheme() + "://" + w.getHost() + "/" + REDACTED));
    Optional.ofNullable(stack.settings().database()).ifPresent(db -> x.put("db_init", database(db)));
    doc.put("x-deploykit", x);
    Map<String, Object> services = new LinkedHashMap<>();
    for (Service s : stack.services()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("image", s.image());
      s.entrypoint().ifPresent(e -> m.put("entrypoint", e));
      s.command().ifPresent(c -> m.put("command", c));
      if (!s.environment().isEmpty()) {
        Map<String, Object> env = new LinkedHashMap<>();
        new java.util.TreeMap<>(s.environment()).forEach((k, v) -> env.put(k, redact(k, v)));
        m.put("environment", env);
      }
      putIfNotEmpty(m, "ports", (List<Object>) plain(s.ports()));
      putIfNotEmpty(m, "volumes", (List<Object>) plain(s.volumes()));
      putIfNotEmpty(m, "networks", (List<Object>) plain(s.networks()));
      putIfNotEmpty(m, "depends_on", (List<Object>) plain(s.dependsOn()));
      s.healthcheck().ifPresent(h -> m.put("healthcheck", plain(h)));
      if (!s.labels().isEmpty()) {
        m.put("labels", s.labels());
      }
      m.put("stop_grace_period", plain(s.stopGracePeriod()));
      s.stopSignal().ifPresent(sig -> m.put("stop_signal", sig));
      m.put("replicas", s.replicas());
      m.put("restart", s.restart());
      m.put("x-deploykit", plain(s.deploy()));
      services.put(s.name(), m);
    }
    doc.put("services", services);
    return doc;
  }

  private static Map<String, Object> database(DatabaseSettings db) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", db.service());
    m.put("port", db.port());
    m.put("database", db.database());
    m.put("user", db.user());
    m.put("password", REDACTED);
    m.put("migrations", db.migrations());
    if (db.readonlyUser() != null) {
      m.put("readonly_user", db.readonlyUser());
      m.put("readonly_password", REDACTED);
    }
    m.put("timeout", plain(db.timeout()));
    return m;
  }

  /** The value to show for an environment variable: redacted when its key looks secret. */
  static String redact(String key, String value) {
    if (SECRET_KEY.matcher(key).matches()) {
      return value.isEmpty() ? "" : REDACTED;
    }
    String v = URL_PASSWORD.matcher(value).replaceAll("$1" + REDACTED + "@");
    return QUERY_PASSWORD.matcher(v).replaceAll("$1" + REDACTED);
  }

  /** Like {@link Json#plain}, but as a Compose file reads: durations {@code 30s}, roles lower case, no nulls. */
  static Object plain(Object value) {
    if (value instanceof java.time.Duration d) {
      return duration(d);
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(java.util.Locale.ROOT);
    }
    if (value instanceof Record r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (java.lang.reflect.RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          Object v = rc.getAccessor().invoke(r);
          if (v != null) {
            out.put(snake(rc.getName()), plain(v));
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return out;
    }
    if (value instanceof java.util.Collection<?> c) {
      return c.stream().map(ConfigCommand::plain).toList();
    }
    Object p = Json.plain(value);
    return p == null ? "" : p;
  }

  static String duration(java.time.Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static void putIfNotEmpty(Map<String, Object> m, String key, List<Object> list) {
    if (!list.isEmpty()) {
      m.put(key, list);
    }
  }
}
