package dev.deploykit.core;

/**
 * What a service is for, and so how a release replaces it ({@code x-deploykit.role} in a Compose
 * file, {@link ServiceDeploy#role()} in Java). A service that names no role is an
 * {@link #ACCESSORY}, from Java and from Compose alike.
 *
 * <p>Thread safety: an enum, immutable.
 */
public enum Role {
  /** Takes HTTP traffic through the proxy; replaced blue/green with draining. */
  WEB,
  /** Takes no traffic; replaced by overlap: the new one proves healthy, then the old one stops. */
  WORKER,
  /** Stateful (PostgreSQL, Ollama); created when missing, never restarted by a deploy. */
  ACCESSORY
}
