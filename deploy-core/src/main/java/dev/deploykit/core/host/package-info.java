/**
 * Making a remote host ready for deploykit, and checking it: {@link HostBootstrap} installs and
 * starts Docker on a bare Debian or Ubuntu host over SSH, {@link HostCheck} reports what the
 * engine there is and whether the SSH user may use it.
 */
@NullMarked
package dev.deploykit.core.host;

import org.jspecify.annotations.NullMarked;
