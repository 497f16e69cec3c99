package dev.deploykit.core;

import java.util.Locale;

/**
 * What runs a stack's services: {@link #HOST}, containers on one Docker engine (the default), or
 * {@link #SWARM}, Swarm services on a Docker Swarm cluster whose manager is the stack's host. The
 * stack file names it as {@code x-deploykit.engine: host|swarm}.
 *
 * <p>Thread safety: an enum, immutable.
 */
public enum Engine {
  /** Containers on one Docker engine. */
  HOST,
  /** Swarm services on the cluster the host manages (the host is a Swarm manager). */
  SWARM;

  /** The name the stack file uses ({@code host}, {@code swarm}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
