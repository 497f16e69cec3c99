/**
 * Driving HAProxy, the stack's proxy, through its Runtime API: the configuration deploykit
 * writes for it, the API client, and the switch of a backend from one server to another with
 * draining.
 */
@NullMarked
package dev.deploykit.core.internal.haproxy;

import org.jspecify.annotations.NullMarked;
