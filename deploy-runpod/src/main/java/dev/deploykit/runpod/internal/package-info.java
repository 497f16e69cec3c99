/** Implementation of deploy-runpod: HTTP calls with the project's rules, content hashes. Not API. */
@NullMarked
package dev.deploykit.runpod.internal;

import org.jspecify.annotations.NullMarked;
