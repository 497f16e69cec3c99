/**
 * JMH benchmarks of the health checks: each check warm, the six-check suite concurrent and
 * sequential, a suite with one hung check, and a seed-style shell check. {@link
 * dev.deploykit.bench.BenchStack} starts the real servers they probe; {@link
 * dev.deploykit.bench.BenchReport} turns JMH's JSON into the table in {@code docs/benchmarks.md}.
 * Run with {@code bench/run.sh}.
 */
@NullMarked
package dev.deploykit.bench;

import org.jspecify.annotations.NullMarked;
