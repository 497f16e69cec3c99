package dev.deploykit.core.internal.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFolderTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @TempDir Path dir;

  private Backup backup(BackupFolder folder, String stack, String id, Instant at, byte[] content) throws Exception {
    Files.write(folder.dump(id), content);
    Backup b = new Backup(id, stack, "db", "app", at, content.length,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), null, "18.1", "by hand",
        folder.dump(id));
    folder.save(b);
    return b;
  }

  @Test
  void listsTheStacksBackupsNewestFirstAndFindsThemByIdOrPath() throws Exception {
    BackupFolder folder = new BackupFolder(dir);
    backup(folder, "shop", "a", NOW.minusSeconds(60), new byte[] {1});
    Backup newest = backup(folder, "shop", "b", NOW, new byte[] {2});
    backup(folder, "other", "c", NOW, new byte[] {3});
    Files.write(dir.resolve("d.dump.partial"), new byte[] {4});
    assertThat(folder.list("shop")).extracting(Backup::id).containsExactly("b", "a");
    assertThat(folder.find("shop", "b")).contains(newest);
    assertThat(folder.find("shop", dir.resolve("b.dump").toString())).contains(newest);
    assertThat(folder.find("shop", "c")).isEmpty();
    assertThat(folder.find("shop", "d")).isEmpty();
  }

  @Test
  void retentionKeepsTheNewestByCountAndAgeButAlwaysOne() throws Exception {
    BackupFolder folder = new BackupFolder(dir);
    for (int i = 0; i < 5; i++) {
      backup(folder, "shop", "b" + i, NOW.minus(Duration.ofDays(i * 10L)), new byte[] {(byte) i});
    }
    assertThat(folder.retain("shop", 4, Duration.ofDays(25), NOW)).containsExactly("b3", "b4");
    assertThat(folder.list("shop")).extracting(Backup::id).containsExactly("b0", "b1", "b2");
    assertThat(dir.resolve("b3.dump")).doesNotExist();
    assertThat(folder.retain("shop", 2, null, NOW)).containsExactly("b2");
    assertThat(folder.retain("shop", 1, Duration.ofSeconds(1), NOW.plus(Duration.ofDays(100)))).containsExactly("b1");
    assertThat(folder.list("shop")).extracting(Backup::id).containsExactly("b0");
  }

  @Test
  void aTruncatedOrChangedDumpFailsItsChecksum() throws Exception {
    BackupFolder folder = new BackupFolder(dir);
    Backup b = backup(folder, "shop", "x", NOW, "PGDMP the dump".getBytes(StandardCharsets.UTF_8));
    DumpFile.verify(b);
    Files.write(b.file(), "PGDMP the du".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> DumpFile.verify(b)).isInstanceOf(BackupException.class)
        .hasMessageContaining("corrupted or truncated").hasMessageContaining("untouched")
        .extracting(e -> ((BackupException) e).reason()).isEqualTo(BackupException.Reason.CHECKSUM_MISMATCH);
    Files.delete(b.file());
    assertThatThrownBy(() -> DumpFile.verify(b)).extracting(e -> ((BackupException) e).reason())
        .isEqualTo(BackupException.Reason.UNKNOWN_BACKUP);
  }

  @Test
  void readsTheServerVersionFromACustomFormatHeader() throws IOException {
    Path f = dir.resolve("h.dump");
    Files.write(f, header(1, 16, "app", "18.1", "18.1 (Debian 18.1-1)"));
    assertThat(DumpFile.serverVersion(f)).contains("18.1");
    Files.write(f, header(1, 14, "app", "19.0", "19.0"));
    assertThat(DumpFile.serverVersion(f)).contains("19.0");
    Files.write(f, "not a dump".getBytes(StandardCharsets.UTF_8));
    assertThat(DumpFile.serverVersion(f)).isEmpty();
  }

  /** The first fields of pg_dump's custom format, as WriteHead writes them (int size 4). */
  private static byte[] header(int major, int minor, String db, String server, String dumper) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
    out.write(major);
    out.write(minor);
    out.write(0);
    out.write(4);
    out.write(8);
    out.write(1);
    if (minor >= 15) {
      out.write(1);
    } else {
      writeInt(out, -1);
    }
    for (int i = 0; i < 7; i++) {
      writeInt(out, i);
    }
    writeString(out, db);
    writeString(out, server);
    writeString(out, dumper);
    return out.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v < 0 ? 1 : 0);
    int a = Math.abs(v);
    for (int i = 0; i < 4; i++) {
      out.write((a >> (8 * i)) & 0xff);
    }
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(out, b.length);
    out.writeBytes(b);
  }

  @Test
  void aVolumesMetadataReadsBackAsABackupOnTheHost() throws Exception {
    Backup b = new Backup("20261202-010203-abcd", "shop", "db", "app", NOW, 1234, "ab".repeat(32), "r1", "18.1",
        "by hand", Path.of("20261202-010203-abcd.dump"), "deploykit-shop-backups");
    Backup read = BackupFolder.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(BackupFolder.metadata(b)),
        Path.of("x")).orElseThrow().inVolume("deploykit-shop-backups");
    assertThat(read).isEqualTo(b);
    assertThat(read.store()).isEqualTo(dev.deploykit.core.backup.BackupSettings.Store.HOST);
    assertThat(read.location()).isEqualTo("volume deploykit-shop-backups on the host (20261202-010203-abcd.dump)");
    assertThatThrownBy(() -> DumpFile.compare(b, 1233, "ab".repeat(32)))
        .hasMessageContaining("volume deploykit-shop-backups on the host").hasMessageContaining("1233 bytes")
        .hasMessageContaining("untouched");
    DumpFile.compare(b, 1234, "ab".repeat(32));
    assertThat(BackupFolder.idOf("20261202-010203-abcd.dump")).isEqualTo("20261202-010203-abcd");
  }

  @Test
  void expiredNeverIncludesTheNewest() {
    java.util.List<Backup> all = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(new Backup("b" + i, "shop", "db", "app", NOW.minus(Duration.ofDays(i * 10L)), 1, "00", null, "18.1",
          "by hand", Path.of("b" + i + ".dump"), "v"));
    }
    assertThat(BackupFolder.expired(all, 2, null, NOW)).extracting(Backup::id).containsExactly("b2", "b3");
    assertThat(BackupFolder.expired(all, 10, Duration.ofDays(15), NOW)).extracting(Backup::id).containsExactly("b2", "b3");
    assertThat(BackupFolder.expired(all.subList(3, 4), 1, Duration.ofDays(1), NOW)).isEmpty();
  }

  @Test
  void aFullDiskSaysWhatWasWrittenWhatIsFreeAndWhatToFreeInOneLine() {
    BackupException e = DumpWriter.diskFull("the backup volume v on host h", "id1", 65_536, 9_000_000, 0,
        "or keep it elsewhere (--store local)", null);
    assertThat(e.reason()).isEqualTo(BackupException.Reason.DISK_FULL);
    assertThat(e.getMessage()).isEqualTo("The backup volume v on host h filled up during backup id1 after 0.1 MB of"
        + " the dump; the database is 9.0 MB (a dump needs up to about that much), 0.0 MB are free there: free at"
        + " least 10.0 MB or keep it elsewhere (--store local); the partial file was removed").doesNotContain("\n");
  }

  @Test
  void readsTheServerVersionFromTheFirstBytesOfADump() {
    byte[] head = header(1, 16, "app", "18.1", "18.1");
    assertThat(DumpFile.serverVersion(new java.io.ByteArrayInputStream(head))).contains("18.1");
    assertThat(DumpFile.serverVersion(new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(head, 20)))).isEmpty();
  }
}
