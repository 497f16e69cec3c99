/**
 * Implementation of the health module (check execution, rendering, the HTTP and JDBC plumbing of
 * the built-in checks). Not an API: anything here may change without notice.
 */
@NullMarked
package dev.deploykit.health.internal;

import org.jspecify.annotations.NullMarked;
