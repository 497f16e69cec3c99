/** How {@link dev.deploykit.core.backup.DatabaseBackups} does its work; not exported. */
@NullMarked
package dev.deploykit.core.internal.backup;

import org.jspecify.annotations.NullMarked;
