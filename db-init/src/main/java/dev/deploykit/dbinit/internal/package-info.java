/** db-init's implementation: not an API, may change in any release. */
@NullMarked
package dev.deploykit.dbinit.internal;

import org.jspecify.annotations.NullMarked;
