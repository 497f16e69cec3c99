/**
 * Backups of the stack's PostgreSQL database: {@code pg_dump} run inside the database container
 * (so the client matches the server), streamed to a folder on the operator's machine through the
 * stack's host (the local engine or SSH), checksummed, listed, retained, restored under the
 * stack's lock and proved by a restore drill. {@link dev.deploykit.core.backup.DatabaseBackups}
 * is the entry point:
 *
 * <pre>{@code
 * try (DockerHost host = DockerHost.local()) {
 *   DatabaseBackups backups = DatabaseBackups.builder(host).build();
 *   Backup b = backups.backup(stack, "by hand");
 *   DrillResult drill = backups.drill(stack, b.id());
 * }
 * }</pre>
 *
 * <p>Values are immutable; a {@code DatabaseBackups} may be shared between threads, one call per
 * stack at a time.
 */
@NullMarked
package dev.deploykit.core.backup;

import org.jspecify.annotations.NullMarked;
