package dev.deploykit.images.internal;

import dev.deploykit.images.ImageBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Debian root file system with {@code debootstrap --variant=minbase} and packs it as a tar
 * file that a {@code FROM scratch} Dockerfile can {@code ADD}. Needs root and the debootstrap
 * package on the build host: it is the one step that cannot run inside a container, because there
 * is no image yet to run one from.
 */
public final class DebianRootfs {
  /** Debian's mirror; the only package source these images use. */
  public static final String MIRROR = "http://deb.debian.org/debian";

  private static final Logger log = LoggerFactory.getLogger(DebianRootfs.class);
  private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration TAR_TIMEOUT = Duration.ofMinutes(5);

  private DebianRootfs() {}

  public static void build(String suite, List<String> packages, Path tarFile) {
    requireRoot();
    Path root = null;
    try {
      root = Files.createTempDirectory("deploykit-rootfs-" + suite + "-");
      List<String> debootstrap = new ArrayList<>(List.of(
          "debootstrap", "--variant=minbase"));
      if (!packages.isEmpty()) {
        debootstrap.add("--include=" + String.join(",", packages));
      }
      debootstrap.addAll(List.of(suite, root.toString(), MIRROR));
      log.info("debootstrap {} into {} (about a minute) ...", suite, root);
      run("debootstrap " + suite, debootstrap, DEBOOTSTRAP_TIMEOUT,
          "install it with: apt-get install -y debootstrap");
      run("tar of the " + suite + " root file system",
          List.of("tar", "--numeric-owner", "-C", root.toString(), "-cf", tarFile.toString(), "."),
          TAR_TIMEOUT, "install tar");
    } catch (IOException e) {
      throw new ImageBuildException("Could not prepare the Debian " + suite + " root file system: " + e.getMessage(), e);
    } finally {
      if (root != null) {
        Folders.deleteQuietly(root);
      }
    }
  }

  private static void requireRoot() {
    Object uid;
    try {
      uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      throw new ImageBuildException("Building the Debian base image needs debootstrap on Linux,"
          + " run as root; this host cannot tell its user id (" + e.getMessage() + ")."
          + " Use official images instead (-Ddeploykit.images=official) where a registry is reachable.");
    }
    if (!Integer.valueOf(0).equals(uid)) {
      throw new ImageBuildException("Building the Debian base image runs debootstrap, which needs"
          + " root (this process runs as uid " + uid + "). Run the build as root, or use official"
          + " images (-Ddeploykit.images=official) where a registry is reachable.");
    }
  }

  private static void run(String step, List<String> command, Duration timeout, String hint) {
    Path output = null;
    try {
      output = Files.createTempFile("deploykit-" + command.getFirst() + "-", ".log");
      Process process;
      try {
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
      } catch (IOException e) {
        throw new ImageBuildException(step + " failed: " + command.getFirst()
            + " could not be started (" + e.getMessage() + "); " + hint);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new ImageBuildException(step + " did not finish within " + timeout.toMinutes()
            + " minutes; last output:\n" + tail(output));
      }
      if (process.exitValue() != 0) {
        throw new ImageBuildException(step + " failed with exit code " + process.exitValue()
            + " (is " + MIRROR + " reachable?); last output:\n" + tail(output));
      }
    } catch (IOException e) {
      throw new ImageBuildException(step + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException(step + " was interrupted", e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // A leftover log file in the temp folder is harmless.
        }
      }
    }
  }

  private static String tail(Path output) throws IOException {
    List<String> lines = Files.readAllLines(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
