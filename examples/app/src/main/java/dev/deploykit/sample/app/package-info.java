/** The sample stack's web app; see {@link dev.deploykit.sample.app.SampleApp}. */
@NullMarked
package dev.deploykit.sample.app;

import org.jspecify.annotations.NullMarked;
