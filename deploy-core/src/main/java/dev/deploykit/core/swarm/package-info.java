/**
 * Docker Swarm mode clusters: {@link SwarmCluster} makes a swarm of Docker hosts (init on a
 * manager, join workers, both idempotent), lists its nodes ({@link SwarmNode}) and drains or
 * activates them; {@link SwarmException} says why a host cannot serve as asked (not in a swarm,
 * not a manager, join refused, quorum lost).
 */
@NullMarked
package dev.deploykit.core.swarm;

import org.jspecify.annotations.NullMarked;
