/**
 * The {@code deploykit} command: picocli commands over deploy-core, health, db-init and images.
 * {@link dev.deploykit.cli.Main} is the entry point; {@link dev.deploykit.cli.ExitCodes} lists
 * what scripts can rely on. Everything else is the commands' own plumbing.
 */
@NullMarked
package dev.deploykit.cli;

import org.jspecify.annotations.NullMarked;
