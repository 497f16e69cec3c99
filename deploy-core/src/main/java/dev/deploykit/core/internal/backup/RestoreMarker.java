package dev.deploykit.core.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.backup.InterruptedRestore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The marker a restore leaves in the database container's data volume while it runs: the restore
 * removes it inside the container the moment {@code pg_restore} succeeds, so a marker found later
 * means that restore did not finish, whoever ran it and whatever became of its process.
 */
public final class RestoreMarker {
  /** On the volume of the official image's data ({@code /var/lib/postgresql}). */
  static final String PATH = "/var/lib/postgresql/.deploykit-restore.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private RestoreMarker() {}

  static void write(ContainerDatabase db, String backup, Instant at, String owner) {
    String json = JSON.createObjectNode().put("backup", backup).put("startedAt", at.toString()).put("owner", owner)
        .toString();
    db.host.writeFile(db.container, PATH, json.getBytes(StandardCharsets.UTF_8), 0666);
  }

  /** The restore that did not finish, if a marker says so. */
  public static Optional<InterruptedRestore> read(ContainerDatabase db) {
    Optional<byte[]> bytes = db.host.readFile(db.container, PATH);
    if (bytes.isEmpty() || bytes.get().length == 0) {
      return Optional.empty();
    }
    try {
      JsonNode o = JSON.readTree(bytes.get());
      return Optional.of(new InterruptedRestore(o.path("backup").asText(), Instant.parse(o.path("startedAt").asText()),
          o.path("owner").asText(), db.restoreRunning()));
    } catch (IOException | RuntimeException e) {
      return Optional.of(new InterruptedRestore("unknown", Instant.EPOCH, "unknown", db.restoreRunning()));
    }
  }

  static void remove(ContainerDatabase db) {
    db.host.execStreaming(db.container, List.of("rm", "-f", PATH), java.util.Map.of(),
        java.io.OutputStream.nullOutputStream(), ContainerDatabase.QUERY_TIMEOUT);
  }
}
