/** Implementation of the DigitalOcean client and provisioner; not exported. */
@NullMarked
package dev.deploykit.digitalocean.internal;

import org.jspecify.annotations.NullMarked;
