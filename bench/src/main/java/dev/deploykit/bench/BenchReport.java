package dev.deploykit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Turns JMH's JSON results of {@link HealthBenchmarks}, {@link PeerBenchmarks} and {@link
 * HungCheckBenchmarks} into the {@code ## health} section of {@code docs/benchmarks.md} ({@link
 * HealthSection}) and prints it. Targets are reported, never asserted. Other sections of the
 * file are kept.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.deploykit.bench.BenchReport docs/benchmarks.md
 * run.log "configuration line" results.json [more.json ...]}.
 */
public final class BenchReport {
  private BenchReport() {}

  /** Writes the section; arguments as in the class comment. */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      throw new IllegalArgumentException(
          "usage: BenchReport benchmarks.md run.log \"configuration\" results.json...");
    }
    Path markdown = Path.of(args[0]);
    Path log = Path.of(args[1]);
    List<Path> json = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      json.add(Path.of(args[i]));
    }
    BenchResults results = BenchResults.read(json, log);
    String section = new HealthSection(results, peerVersions(), args[2]).render();
    String existing = Files.exists(markdown)
        ? Files.readString(markdown, StandardCharsets.UTF_8)
        : "# Benchmarks\n\nFigures from the JMH benchmarks in `bench/`; each section is written by"
            + " its run script.\n\n";
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    Files.writeString(markdown, replaceSection(existing, section), StandardCharsets.UTF_8);
    System.out.print(section);
  }

  private static Properties peerVersions() throws IOException {
    Properties p = new Properties();
    try (InputStream in = BenchReport.class.getResourceAsStream("peers.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return p;
  }

  /** {@code document} with its {@code ## health} section replaced by {@code section}. */
  static String replaceSection(String document, String section) {
    int start = document.startsWith("## health\n") ? 0 : document.indexOf("\n## health\n");
    if (start < 0) {
      return document.endsWith("\n\n") ? document + section
          : document + (document.endsWith("\n") ? "\n" : "\n\n") + section;
    }
    if (start > 0) {
      start++;
    }
    int end = document.indexOf("\n## ", start + 1);
    String after = end < 0 ? "" : document.substring(end + 1);
    return document.substring(0, start) + section + after;
  }
}
