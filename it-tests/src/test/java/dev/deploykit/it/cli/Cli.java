package dev.deploykit.it.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code deploykit} command as a separate process, through the repository's
 * launcher ({@code ./deploykit}, which runs {@code cli/target/deploykit-cli-*.jar}), with colours
 * off and stdout not a terminal, as CI would.
 */
public final class Cli {
  static final Path ROOT = Path.of(System.getProperty("deploykit.repository.root",
      Path.of("..").toAbsolutePath().normalize().toString())).toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("deploykit");
  public static final Path SAMPLE_MIGRATIONS = ROOT.resolve("examples/migrations");

  /** What a run printed and how it ended. */
  public record Result(int exitCode, String out, String err) {
    /** stdout and stderr together. */
    public String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Cli() {}

  static Result run(Duration timeout, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Process p = start(env, args);
    return await(p, timeout);
  }

  public static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
    return run(timeout, Map.of(), args);
  }

  /** Runs the command against the stack file {@code file}: {@code -f file} before {@code args}. */
  static Result runStack(Duration timeout, Map<String, String> env, Path file, String... args)
      throws IOException, InterruptedException {
    String[] all = new String[args.length + 2];
    all[0] = "-f";
    all[1] = file.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return run(timeout, env, all);
  }

  /** Copies the sample migrations into {@code dir} (created if need be); returns {@code dir}. */
  public static Path copySampleMigrations(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(SAMPLE_MIGRATIONS)) {
      for (Path m : files.toList()) {
        Files.copy(m, dir.resolve(m.getFileName()));
      }
    }
    return dir;
  }

  /** Starts the command; its output goes to files read by {@link #await}. */
  public static Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    Map<String, String> environment = new HashMap<>(env);
    environment.putIfAbsent("NO_COLOR", "1");
    pb.environment().putAll(environment);
    Path out = Files.createTempFile("deploykit-cli-it", ".out");
    Path err = Files.createTempFile("deploykit-cli-it", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    OUTPUTS.put(p, new Path[] {out, err});
    return p;
  }

  private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** What the process printed so far. */
  public static String outputSoFar(Process p) throws IOException {
    Path[] files = OUTPUTS.get(p);
    return Files.readString(files[0], StandardCharsets.UTF_8) + Files.readString(files[1], StandardCharsets.UTF_8);
  }

  static Result await(Process p, Duration timeout) throws IOException, InterruptedException {
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Path[] files = OUTPUTS.remove(p);
      throw new AssertionError("deploykit did not finish within " + timeout + "; it printed:\n"
          + Files.readString(files[0]) + Files.readString(files[1]));
    }
    Path[] files = OUTPUTS.remove(p);
    Result r = new Result(p.exitValue(), Files.readString(files[0], StandardCharsets.UTF_8),
        Files.readString(files[1], StandardCharsets.UTF_8));
    Files.deleteIfExists(files[0]);
    Files.deleteIfExists(files[1]);
    System.out.println("$ deploykit ... -> " + r.exitCode() + "\n" + r.out() + r.err());
    return r;
  }

  static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
