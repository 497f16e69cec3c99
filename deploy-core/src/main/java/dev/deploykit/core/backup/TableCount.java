package dev.deploykit.core.backup;

/**
 * One table of a database: its rows and a checksum of its contents (the sum of every row's MD5
 * prefix, so it does not depend on the rows' order).
 *
 * <p>Thread safety: immutable.
 *
 * @param table the table, schema-qualified ({@code public.notes})
 * @param rows its row count
 * @param checksum its contents' checksum; empty where only rows were counted (after a restore)
 */
public record TableCount(String table, long rows, String checksum) {}
