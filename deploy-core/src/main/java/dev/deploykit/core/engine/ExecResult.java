package dev.deploykit.core.engine;

/**
 * What a command run inside a container answered.
 *
 * @param exitCode its exit code
 * @param output its standard output and error, interleaved
 */
public record ExecResult(int exitCode, String output) {}
