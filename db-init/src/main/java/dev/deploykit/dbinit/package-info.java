/**
 * Prepares a PostgreSQL database for an application: waits until it accepts the application's
 * role, migrates it with Flyway, keeps a read-only role and verifies the expected tables.
 *
 * <p>Start with {@link dev.deploykit.dbinit.DbInit#builder()}; every run returns a
 * {@link dev.deploykit.dbinit.DbInitResult} or throws a {@link dev.deploykit.dbinit.DbInitException}.
 */
@NullMarked
package dev.deploykit.dbinit;

import org.jspecify.annotations.NullMarked;
