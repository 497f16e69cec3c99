package dev.deploykit.core.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.backup.DrillResult;
import dev.deploykit.core.backup.TableCount;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillCompareTest {
  private static final dev.deploykit.core.backup.Backup BACKUP = new dev.deploykit.core.backup.Backup("b", "shop", "db",
      "app", Instant.EPOCH, 1, "00", null, "18.1", "by hand", Path.of("b.dump"));

  @Test
  void everyTableOfEitherSideIsComparedByRowsAndChecksum() {
    List<DrillResult.Comparison> same = Drill.compare(
        List.of(new TableCount("public.a", 2, "10"), new TableCount("public.b", 0, "0")),
        List.of(new TableCount("public.b", 0, "0"), new TableCount("public.a", 2, "10")));
    assertThat(new DrillResult(BACKUP, "img", same, Duration.ZERO).matches()).isTrue();
    assertThat(same).extracting(DrillResult.Comparison::table).containsExactly("public.a", "public.b");

    List<DrillResult.Comparison> changed = Drill.compare(List.of(new TableCount("public.a", 2, "10")),
        List.of(new TableCount("public.a", 2, "11")));
    assertThat(new DrillResult(BACKUP, "img", changed, Duration.ZERO).matches()).isFalse();

    List<DrillResult.Comparison> missing = Drill.compare(List.of(new TableCount("public.a", 2, "10")),
        List.of(new TableCount("public.a", 2, "10"), new TableCount("public.extra", 1, "5")));
    assertThat(missing).filteredOn(c -> !c.matches()).extracting(DrillResult.Comparison::table)
        .containsExactly("public.extra");
  }
}
