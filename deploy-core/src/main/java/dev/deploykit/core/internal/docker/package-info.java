/** The Docker engine through docker-java. */
@NullMarked
package dev.deploykit.core.internal.docker;

import org.jspecify.annotations.NullMarked;
