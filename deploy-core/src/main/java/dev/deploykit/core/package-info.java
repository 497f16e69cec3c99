/**
 * deploykit's release engine. The stack model ({@link dev.deploykit.core.Stack}, read from a
 * Compose file by {@link dev.deploykit.core.ComposeFile} or built in Java) comes first; the Docker
 * host, the proxy switch and the release protocol build on it.
 */
@NullMarked
package dev.deploykit.core;

import org.jspecify.annotations.NullMarked;
