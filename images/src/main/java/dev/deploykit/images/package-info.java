/**
 * Stand-in images: recipes for images that deploykit and its tests need ({@code postgres:18.1}, a
 * Java runtime, ...) and the code that builds them on the local Docker engine when the official
 * image cannot be pulled.
 *
 * <p>Entry point: {@link dev.deploykit.images.StandInImages}. The recipes themselves (Dockerfiles,
 * entrypoints) live as resources under {@code dev/deploykit/images/recipes/}.
 */
@NullMarked
package dev.deploykit.images;

import org.jspecify.annotations.NullMarked;
