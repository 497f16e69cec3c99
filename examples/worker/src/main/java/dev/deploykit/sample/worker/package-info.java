/** The sample stack's worker; see {@link dev.deploykit.sample.worker.SampleWorker}. */
@NullMarked
package dev.deploykit.sample.worker;

import org.jspecify.annotations.NullMarked;
