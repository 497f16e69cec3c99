/** The release protocol: one run of deploy or rollback, step by step. */
@NullMarked
package dev.deploykit.core.internal.protocol;

import org.jspecify.annotations.NullMarked;
