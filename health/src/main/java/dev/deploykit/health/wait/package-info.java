/**
 * Waiting and retrying, once for the whole project: an injectable {@link
 * dev.deploykit.health.wait.TimeSource}, a {@link dev.deploykit.health.wait.Deadline}, a {@link
 * dev.deploykit.health.wait.Backoff} and {@link dev.deploykit.health.wait.Await}, which polls a
 * probe (or retries an operation) under an overall deadline and returns an {@link
 * dev.deploykit.health.wait.AwaitResult}.
 *
 * <p>db-init and deploy-core use these types; they do not write their own loops. Tests of waiting
 * code run on {@link dev.deploykit.health.wait.FakeTimeSource}, which lives in this (main) package
 * so that every module's tests can use it without a test-jar.
 *
 * <pre>{@code
 * AwaitResult<Connection> result = Await.atMost(Duration.ofSeconds(30))
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)))
 *     .retryIf(e -> e instanceof SQLTransientException)
 *     .call(deadline -> DriverManager.getConnection(url, user, password));
 * }</pre>
 */
@NullMarked
package dev.deploykit.health.wait;

import org.jspecify.annotations.NullMarked;
