package dev.deploykit.core.backup;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a restore did: which services held connections, which it stopped and started again, and
 * the tables with their row counts afterwards.
 *
 * <p>Thread safety: immutable.
 *
 * @param backup the backup restored
 * @param connections the services (or client addresses) that held connections, and how many
 * @param stopped the services stopped for the restore and started again
 * @param tables the database's tables after the restore
 * @param elapsed how long it took
 */
public record RestoreResult(Backup backup, Map<String, Integer> connections, List<String> stopped,
    List<TableCount> tables, Duration elapsed) {
  /** Copies the collections. */
  public RestoreResult {
    connections = Map.copyOf(connections);
    stopped = List.copyOf(stopped);
    tables = List.copyOf(tables);
  }
}
