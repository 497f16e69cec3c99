package dev.deploykit.core.backup;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A restore drill: the backup restored into a scratch PostgreSQL container of the database's own
 * image, every table's row count and checksum compared with the source database.
 *
 * <p>Thread safety: immutable.
 *
 * @param backup the backup drilled
 * @param image the image of the scratch container
 * @param tables each table of either side
 * @param elapsed how long it took, the scratch container's start included
 */
public record DrillResult(Backup backup, String image, List<Comparison> tables, Duration elapsed) {
  /** Copies the list. */
  public DrillResult {
    tables = List.copyOf(tables);
  }

  /** Whether every table has the same rows and checksum on both sides. */
  public boolean matches() {
    return tables.stream().allMatch(Comparison::matches);
  }

  /**
   * One table on both sides; a side without the table is null.
   *
   * @param table the table, schema-qualified
   * @param source the source database's
   * @param restored the scratch database's
   */
  public record Comparison(String table, @Nullable TableCount source, @Nullable TableCount restored) {
    /** Same rows and same checksum. */
    public boolean matches() {
      return source != null && restored != null && source.rows() == restored.rows()
          && source.checksum().equals(restored.checksum());
    }
  }
}
