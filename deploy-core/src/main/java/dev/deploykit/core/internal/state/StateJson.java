package dev.deploykit.core.internal.state;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Dependency;
import dev.deploykit.core.Engine;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.Placement;
import dev.deploykit.core.Probe;
import dev.deploykit.core.engine.Resources;
import dev.deploykit.core.RegistrySettings;
import dev.deploykit.core.Release;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.engine.VolumeMount;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON forms of the release history and of configuration snapshots. Written out field by
 * field, so that the files stay readable and stable when the Java model changes.
 */
public final class StateJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StateJson() {}

  public static byte[] releases(List<Release> releases) {
    ArrayNode array = JSON.createArrayNode();
    for (Release r : releases) {
      ObjectNode o = array.addObject();
      o.put("id", r.id());
      o.put("stack", r.stack());
      o.put("createdAt", r.createdAt().toString());
      o.put("createdBy", r.createdBy());
      o.put("version", r.version());
      o.set("images", JSON.valueToTree(r.images()));
      o.set("imageIds", JSON.valueToTree(r.imageIds()));
      o.set("imageDigests", JSON.valueToTree(r.imageDigests()));
      o.put("outcome", r.outcome().name());
      o.put("message", r.message());
      o.put("rollbackOf", r.rollbackOf());
      if (r.backup() != null) {
        o.put("backup", r.backup());
      }
    }
    return write(array);
  }

  public static List<Release> releases(byte[] json) {
    List<Release> list = new ArrayList<>();
    for (JsonNode o : read(json, "the release history")) {
      list.add(new Release(o.path("id").asText(), o.path("stack").asText(),
          Instant.parse(o.path("createdAt").asText()), o.path("createdBy").asText(),
          text(o, "version"), map(o.path("images")), map(o.path("imageIds")),
          Release.Outcome.valueOf(o.path("outcome").asText()), o.path("message").asText(""),
          text(o, "rollbackOf"), map(o.path("imageDigests")), text(o, "backup")));
    }
    return list;
  }

  public static byte[] stack(Stack stack) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", stack.name());
    writeSettings(root.putObject("settings"), stack.settings());
    ArrayNode services = root.putArray("services");
    for (Service s : stack.services()) {
      writeService(services.addObject(), s);
    }
    return write(root);
  }

  private static void writeSettings(ObjectNode settings, StackSettings stack) {
    settings.put("retain", stack.retain());
    settings.put("proxyPort", stack.proxyPort());
    // Since the Swarm release run: a snapshot without it was a release on one host.
    settings.put("engine", stack.engine().key());
    settings.put("notifyWebhook", Optional.ofNullable(stack.notifyWebhook()).map(URI::toString).orElse(null));
    Optional.ofNullable(stack.database()).ifPresent(db -> {
      ObjectNode d = settings.putObject("database");
      d.put("service", db.service());
      d.put("port", db.port());
      d.put("database", db.database());
      d.put("user", db.user());
      d.put("password", db.password());
      d.set("migrations", JSON.valueToTree(db.migrations()));
      d.put("readonlyUser", db.readonlyUser());
      d.put("readonlyPassword", db.readonlyPassword());
      d.put("timeout", db.timeout().toString());
    });
    Optional.ofNullable(stack.registry()).ifPresent(r -> writeRegistry(settings.putObject("registry"), r));
  }

  /** Where the password is, never the password. */
  private static void writeRegistry(ObjectNode o, RegistrySettings registry) {
    o.put("server", registry.server());
    o.put("user", registry.user());
    o.put("passwordEnv", registry.passwordEnv());
    o.put("passwordFile", Optional.ofNullable(registry.passwordFile()).map(Path::toString).orElse(null));
  }

  private static @Nullable RegistrySettings readRegistry(JsonNode r) {
    if (r.isMissingNode() || r.isNull()) {
      return null;
    }
    String file = text(r, "passwordFile");
    return new RegistrySettings(r.path("server").asText(), r.path("user").asText(), text(r, "passwordEnv"),
        file == null ? null : Path.of(file));
  }

  private static void writeService(ObjectNode o, Service s) {
    o.put("name", s.name());
    o.put("image", s.image());
    ObjectNode d = o.putObject("deploy");
    d.put("role", s.role().name());
    d.put("healthPath", s.deploy().healthPath());
    d.put("healthPort", s.deploy().healthPort());
    d.put("deployTimeout", s.deploy().deployTimeout().toString());
    d.put("drainTimeout", s.deploy().drainTimeout().toString());
    d.put("watchWindow", s.deploy().watchWindow().toString());
    d.put("probe", s.deploy().probe().name());
    s.command().ifPresent(c -> o.set("command", JSON.valueToTree(c)));
    s.entrypoint().ifPresent(c -> o.set("entrypoint", JSON.valueToTree(c)));
    o.set("environment", JSON.valueToTree(s.environment()));
    ArrayNode ports = o.putArray("ports");
    for (PortMapping p : s.ports()) {
      ports.addObject().put("hostIp", p.hostIp()).put("published", p.published()).put("target", p.target())
          .put("protocol", p.protocol());
    }
    ArrayNode volumes = o.putArray("volumes");
    for (VolumeMount v : s.volumes()) {
      volumes.addObject().put("type", v.type()).put("source", v.source()).put("target", v.target())
          .put("readOnly", v.readOnly());
    }
    o.set("networks", JSON.valueToTree(s.networks()));
    s.healthcheck().ifPresent(h -> o.putObject("healthcheck").put("interval", h.interval().toString())
        .put("timeout", h.timeout().toString()).put("retries", h.retries())
        .put("startPeriod", h.startPeriod().toString()).set("test", JSON.valueToTree(h.test())));
    ArrayNode deps = o.putArray("dependsOn");
    for (Dependency dep : s.dependsOn()) {
      deps.addObject().put("service", dep.service()).put("condition", dep.condition().name());
    }
    o.set("labels", JSON.valueToTree(s.labels()));
    o.put("stopGracePeriod", s.stopGracePeriod().toString());
    o.put("stopSignal", s.stopSignal().orElse(null));
    o.put("replicas", s.replicas());
    o.put("restart", s.restart());
    Resources r = s.resources();
    o.putObject("resources").put("cpuLimit", r.cpuLimit()).put("memoryLimit", r.memoryLimit())
        .put("cpuReservation", r.cpuReservation()).put("memoryReservation", r.memoryReservation());
    o.putObject("placement").put("maxReplicasPerNode", s.placement().maxReplicasPerNode())
        .set("constraints", JSON.valueToTree(s.placement().constraints()));
  }

  public static Stack stack(byte[] json) {
    JsonNode root = read(json, "a configuration snapshot");
    JsonNode st = root.path("settings");
    String hook = text(st, "notifyWebhook");
    JsonNode db = st.path("database");
    DatabaseSettings database = db.isMissingNode() ? null : new DatabaseSettings(
        db.path("service").asText(), db.path("port").asInt(), db.path("database").asText(),
        db.path("user").asText(), db.path("password").asText(), strings(db.path("migrations")),
        text(db, "readonlyUser"), text(db, "readonlyPassword"), Duration.parse(db.path("timeout").asText()));
    StackSettings settings = new StackSettings(st.path("retain").asInt(), st.path("proxyPort").asInt(),
        hook == null ? null : URI.create(hook), database, readRegistry(st.path("registry")), null)
        .withEngine("swarm".equals(text(st, "engine")) ? Engine.SWARM : Engine.HOST);
    List<Service> services = new ArrayList<>();
    for (JsonNode o : root.path("services")) {
      services.add(readService(o));
    }
    return new Stack(root.path("name").asText(), services, settings);
  }

  private static ServiceDeploy readDeploy(JsonNode d) {
    Role role = Role.valueOf(d.path("role").asText());
    String healthPath = text(d, "healthPath");
    // Snapshots written before the probe was recorded get the probe such a service gets by default.
    Probe probe = d.hasNonNull("probe") ? Probe.valueOf(d.path("probe").asText())
        : ServiceDeploy.defaultProbe(role, healthPath);
    return new ServiceDeploy(role, healthPath, d.hasNonNull("healthPort") ? d.path("healthPort").asInt() : null,
        Duration.parse(d.path("deployTimeout").asText()), Duration.parse(d.path("drainTimeout").asText()),
        Duration.parse(d.path("watchWindow").asText()), probe);
  }

  private static Service readService(JsonNode o) {
    Service.Builder b = Service.builder(o.path("name").asText()).image(o.path("image").asText())
        .deploy(readDeploy(o.path("deploy")));
    if (o.has("command")) {
      b.command(strings(o.path("command")));
    }
    if (o.has("entrypoint")) {
      b.entrypoint(strings(o.path("entrypoint")));
    }
    b.environment(map(o.path("environment")));
    for (JsonNode p : o.path("ports")) {
      b.port(new PortMapping(text(p, "hostIp"), p.hasNonNull("published") ? p.path("published").asInt() : null,
          p.path("target").asInt(), p.path("protocol").asText()));
    }
    for (JsonNode v : o.path("volumes")) {
      b.volume(new VolumeMount(v.path("type").asText(), v.path("source").asText(),
          v.path("target").asText(), v.path("readOnly").asBoolean()));
    }
    strings(o.path("networks")).forEach(b::network);
    JsonNode h = o.path("healthcheck");
    if (!h.isMissingNode()) {
      b.healthcheck(new ContainerHealthcheck(strings(h.path("test")), Duration.parse(h.path("interval").asText()),
          Duration.parse(h.path("timeout").asText()), h.path("retries").asInt(),
          Duration.parse(h.path("startPeriod").asText())));
    }
    for (JsonNode dep : o.path("dependsOn")) {
      b.dependsOn(new Dependency(dep.path("service").asText(),
          Dependency.Condition.valueOf(dep.path("condition").asText())));
    }
    b.labels(map(o.path("labels")));
    b.stopGracePeriod(Duration.parse(o.path("stopGracePeriod").asText()));
    Optional.ofNullable(text(o, "stopSignal")).ifPresent(b::stopSignal);
    // Snapshots written before resources and placement were recorded had neither.
    JsonNode r = o.path("resources");
    b.resources(new Resources(r.path("cpuLimit").asLong(), r.path("memoryLimit").asLong(),
        r.path("cpuReservation").asLong(), r.path("memoryReservation").asLong()));
    JsonNode p = o.path("placement");
    b.placement(new Placement(strings(p.path("constraints")), p.path("maxReplicasPerNode").asInt()));
    return b.replicas(o.path("replicas").asInt(1)).restart(o.path("restart").asText("no")).build();
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new DeployException("Could not write state JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(byte[] json, String what) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new DeployException("The host's " + what + " is not valid JSON (" + e.getMessage()
          + "); it was changed by hand or cut short", e);
    }
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.path(field).asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
