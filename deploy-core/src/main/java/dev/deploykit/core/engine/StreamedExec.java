package dev.deploykit.core.engine;

/**
 * How a command whose standard output was streamed ended ({@link DockerHost#execStreaming}).
 *
 * <p>Thread safety: immutable.
 *
 * @param exitCode its exit code
 * @param stdoutBytes how many bytes of standard output it wrote
 * @param stderr its standard error (at most its last 64 KiB)
 */
public record StreamedExec(int exitCode, long stdoutBytes, String stderr) {}
