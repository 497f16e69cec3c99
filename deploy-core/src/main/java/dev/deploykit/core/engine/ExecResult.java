package dev.deploykit.core.engine;

/**
 * What a command run inside a container answered ({@link DockerHost#exec}).
 *
 * <p>Thread safety: immutable.
 *
 * @param exitCode its exit code
 * @param output its standard output and error, interleaved
 */
public record ExecResult(int exitCode, String output) {}
