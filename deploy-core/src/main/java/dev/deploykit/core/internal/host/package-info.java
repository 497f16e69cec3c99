/**
 * Bootstrap and check of a remote host, behind {@link dev.deploykit.core.host.HostBootstrap} and
 * {@link dev.deploykit.core.host.HostCheck}: the POSIX scripts run on the host, what their output
 * means, and the order of the steps. Commands reach the host through a {@link Shell}.
 */
@NullMarked
package dev.deploykit.core.internal.host;

import org.jspecify.annotations.NullMarked;
