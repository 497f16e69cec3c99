/**
 * What the sample stack's app ({@code dev.deploykit.sample.app}) and worker ({@code
 * dev.deploykit.sample.worker}) share: reading their environment, durations, JDBC settings, JSON,
 * their log lines, start-up and stop, and the class path their images carry.
 */
@NullMarked
package dev.deploykit.sample.common;

import org.jspecify.annotations.NullMarked;
