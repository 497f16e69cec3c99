/**
 * The stack's state on its host: names and labels, the deploy lock, the release history,
 * configuration snapshots and the audit log. Everything lives on the Docker host itself (a
 * named volume, reached through the engine's API), so two operators, or a run after a crash,
 * see the same truth whatever machine they deploy from.
 */
@NullMarked
package dev.deploykit.core.internal.state;

import org.jspecify.annotations.NullMarked;
