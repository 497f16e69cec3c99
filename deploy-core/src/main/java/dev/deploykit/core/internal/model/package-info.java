/** Rules of the stack model shared by the model and the Compose reader. */
@NullMarked
package dev.deploykit.core.internal.model;

import org.jspecify.annotations.NullMarked;
