/** Reading Compose files: YAML nodes with positions, interpolation, Compose's value forms. */
@NullMarked
package dev.deploykit.core.internal.compose;

import org.jspecify.annotations.NullMarked;
