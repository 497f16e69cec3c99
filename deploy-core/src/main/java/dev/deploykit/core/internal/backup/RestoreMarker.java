package dev.deploykit.core.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.backup.InterruptedRestore;
import dev.deploykit.core.engine.ContainerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The markers a restore leaves in the database container's data volume while it runs. The restore
 * marker is removed the moment {@code pg_restore} succeeds (inside the container for a local
 * backup), so one found later means that restore did not finish, whoever ran it and whatever
 * became of its process. The stopped marker names the services the restore stopped; it goes only
 * once they run again, so one found later names services a killed run left stopped, which the next
 * restore starts again.
 */
public final class RestoreMarker {
  /** On the volume of the official image's data ({@code /var/lib/postgresql}). */
  static final String PATH = "/var/lib/postgresql/.deploykit-restore.json";
  static final String STOPPED_PATH = "/var/lib/postgresql/.deploykit-restore-stopped.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RestoreMarker() {}

  private static ObjectNode head(String backup, Instant at, String owner) {
    return JSON.createObjectNode().put("backup", backup).put("startedAt", at.toString()).put("owner", owner);
  }

  static void write(ContainerDatabase db, String backup, Instant at, String owner) {
    db.host.writeFile(db.container, PATH, head(backup, at, owner).toString().getBytes(StandardCharsets.UTF_8), 0666);
  }

  /** Records the containers a restore stops, before it stops them. */
  static void writeStopped(ContainerDatabase db, String backup, Instant at, String owner, List<ContainerState> stopped) {
    ObjectNode o = head(backup, at, owner);
    ArrayNode list = o.putArray("stopped");
    for (ContainerState c : stopped) {
      list.addObject().put("id", c.id()).put("service", c.label(StackNames.LABEL_SERVICE).orElse(c.name()));
    }
    db.host.writeFile(db.container, STOPPED_PATH, o.toString().getBytes(StandardCharsets.UTF_8), 0666);
  }

  /** The container ids an earlier restore stopped and no run started again. */
  static List<String> leftStopped(ContainerDatabase db) {
    return stopped(db).map(o -> {
      List<String> ids = new ArrayList<>();
      o.path("stopped").forEach(c -> ids.add(c.path("id").asText()));
      return ids;
    }).orElse(List.of());
  }

  private static Optional<JsonNode> stopped(ContainerDatabase db) {
    Optional<byte[]> bytes = db.host.readFile(db.container, STOPPED_PATH);
    if (bytes.isEmpty() || bytes.get().length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(bytes.get()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The restore that did not finish, if a marker says so. */
  public static Optional<InterruptedRestore> read(ContainerDatabase db) {
    Optional<byte[]> bytes = db.host.readFile(db.container, PATH);
    Optional<JsonNode> stopped = stopped(db);
    List<String> services = new ArrayList<>();
    stopped.ifPresent(o -> o.path("stopped").forEach(c -> services.add(c.path("service").asText())));
    if (bytes.isEmpty() || bytes.get().length == 0) {
      // pg_restore succeeded but its run did not start the services again.
      return stopped.map(o -> new InterruptedRestore(o.path("backup").asText(), instant(o), o.path("owner").asText(),
          db.restoreRunning(), true, services));
    }
    try {
      JsonNode o = JSON.readTree(bytes.get());
      return Optional.of(new InterruptedRestore(o.path("backup").asText(), Instant.parse(o.path("startedAt").asText()),
          o.path("owner").asText(), db.restoreRunning(), false, services));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new InterruptedRestore("unknown", Instant.EPOCH, "unknown", db.restoreRunning(), false,
          services));
    }
  }

  private static Instant instant(JsonNode o) {
    try {
      return Instant.parse(o.path("startedAt").asText());
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }

  static void remove(ContainerDatabase db) {
    removeFile(db, PATH);
  }

  static void removeStopped(ContainerDatabase db) {
    removeFile(db, STOPPED_PATH);
  }

  private static void removeFile(ContainerDatabase db, String path) {
    db.host.execStreaming(db.container, List.of("rm", "-f", path), java.util.Map.of(),
        java.io.OutputStream.nullOutputStream(), ContainerDatabase.QUERY_TIMEOUT);
  }
}
