/**
 * The release engine on a Docker Swarm cluster: which stacks Swarm can run, the Swarm service
 * specifications deploykit submits for a stack's services, and their names and labels.
 */
@NullMarked
package dev.deploykit.core.internal.swarm;

import org.jspecify.annotations.NullMarked;
