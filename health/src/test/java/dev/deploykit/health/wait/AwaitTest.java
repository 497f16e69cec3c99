package dev.deploykit.health.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  private final FakeTimeSource time = new FakeTimeSource();
  private final Await await = Await.atMost(Duration.ofSeconds(1))
      .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(400)))
      .timeSource(time);

  @Test
  void satisfiedOnTheFirstAttemptDoesNotSleep() throws InterruptedException {
    AwaitResult<String> r = await.until(d -> "up", "up"::equals);
    assertThat(r).isEqualTo(new AwaitResult.Satisfied<>("up", 1, Duration.ZERO));
    assertThat(time.sleeps()).isEmpty();
    assertThat(r.describe()).isEqualTo("satisfied after PT0S (1 attempt); last: up");
  }

  @Test
  void pollsWithBackoffUntilTheConditionHolds() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    AwaitResult<Integer> r = await.until(d -> calls.incrementAndGet(), n -> n == 4);
    assertThat(r).isInstanceOf(AwaitResult.Satisfied.class);
    assertThat(r.attempts()).isEqualTo(4);
    assertThat(time.sleeps()).containsExactly(
        Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(r.elapsed()).isEqualTo(Duration.ofMillis(700));
    assertThat(r.orElseThrow(x -> new IllegalStateException())).isEqualTo(4);
  }

  @Test
  void timesOutWithTheLastObservationAndNeverSleepsPastTheDeadline() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    AwaitResult<String> r = await.until(d -> "down #" + calls.incrementAndGet(), "up"::equals);
    // 100 + 200 + 400 = 700 ms, then 300 ms left: the next 400 ms sleep is capped to 300 ms.
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(400), Duration.ofMillis(300));
    assertThat(r).isInstanceOf(AwaitResult.TimedOut.class);
    assertThat(r.attempts()).isEqualTo(4);
    assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(1));
    assertThat(r.last()).isEqualTo(new Observed.Value<>("down #4"));
    assertThat(r.describe()).isEqualTo("timed out after PT1S (4 attempts); last: down #4");
    assertThatThrownBy(() -> r.orElseThrow(x -> new IllegalStateException(x.describe())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("timed out");
  }

  @Test
  void aProbeThatOverrunsTheDeadlineIsNotCalledAgain() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    AwaitResult<String> r = await.until(d -> {
      calls.incrementAndGet();
      time.advance(Duration.ofSeconds(5));
      return "slow";
    }, "up"::equals);
    assertThat(r).isInstanceOf(AwaitResult.TimedOut.class);
    assertThat(calls).hasValue(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void zeroTimeoutStillMakesOneAttempt() throws InterruptedException {
    AwaitResult<String> r = Await.atMost(Duration.ZERO).timeSource(time)
        .until(d -> "down", "up"::equals);
    assertThat(r).isInstanceOf(AwaitResult.TimedOut.class);
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void theProbeSeesTheOverallDeadline() throws InterruptedException {
    List<Duration> remaining = new ArrayList<>();
    await.until(d -> {
      remaining.add(d.remaining());
      return "down";
    }, "up"::equals);
    assertThat(remaining).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(900),
        Duration.ofMillis(700), Duration.ofMillis(300));
  }

  @Test
  void transientFailuresAreRetriedAndTheValueReturned() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    AwaitResult<String> r = await.retryIf(e -> e instanceof ConnectException).call(d -> {
      if (calls.incrementAndGet() < 3) {
        throw new ConnectException("Connection refused");
      }
      return "connected";
    });
    assertThat(r).isEqualTo(
        new AwaitResult.Satisfied<>("connected", 3, Duration.ofMillis(300)));
  }

  @Test
  void aPermanentFailureAbortsAtOnce() throws InterruptedException {
    AtomicInteger calls = new AtomicInteger();
    IOException permanent = new IOException("password authentication failed");
    AwaitResult<String> r = await.retryIf(e -> e instanceof ConnectException).call(d -> {
      if (calls.incrementAndGet() == 1) {
        throw new ConnectException("Connection refused");
      }
      throw permanent;
    });
    assertThat(r).isInstanceOf(AwaitResult.Aborted.class);
    AwaitResult.Aborted<String> aborted = (AwaitResult.Aborted<String>) r;
    assertThat(aborted.cause()).isSameAs(permanent);
    assertThat(aborted.attempts()).isEqualTo(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(100));
    assertThat(r.describe())
        .isEqualTo("aborted after PT0.1S (2 attempts); last: IOException: password authentication failed");
  }

  @Test
  void transientFailuresUntilTheDeadlineTimeOutWithTheLastFailure() throws InterruptedException {
    AwaitResult<String> r = await.call(d -> {
      throw new ConnectException("Connection refused");
    });
    assertThat(r).isInstanceOf(AwaitResult.TimedOut.class);
    assertThat(r.last()).isInstanceOf(Observed.Failure.class);
    assertThat(r.last().describe()).isEqualTo("ConnectException: Connection refused");
  }

  @Test
  void anInterruptDuringTheSleepEndsTheAwaitWithInterruptedException() {
    time.onSleep(d -> Thread.currentThread().interrupt());
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> await.until(d -> calls.incrementAndGet(), n -> false))
        .isInstanceOf(InterruptedException.class);
    // The first sleep ran and set the flag; the second one threw and consumed it.
    assertThat(calls).hasValue(2);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void aProbeThatThrowsInterruptedExceptionIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> await.call(d -> {
      calls.incrementAndGet();
      throw new InterruptedException("stop");
    })).isInstanceOf(InterruptedException.class).hasMessage("stop");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aProbeThatSwallowsAnInterruptIntoAnotherExceptionStillStops() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> await.call(d -> {
      calls.incrementAndGet();
      Thread.currentThread().interrupt();
      throw new IOException("closed by interrupt");
    })).isInstanceOf(InterruptedException.class);
    assertThat(calls).hasValue(1);
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void theListenerHearsEveryRetryWithTheCappedDelay() throws InterruptedException {
    List<String> heard = new ArrayList<>();
    await.listener((n, o, next) -> heard.add(n + ":" + o.describe() + ":" + next.toMillis()))
        .until(d -> "down", "up"::equals);
    assertThat(heard).containsExactly("1:down:100", "2:down:200", "3:down:400", "4:down:300");
  }

  @Test
  void jitterComesFromTheGivenRandom() throws InterruptedException {
    Await jittery = await.backoff(Backoff.fixed(Duration.ofMillis(100)).withJitter(1.0))
        .random(new SplittableRandom(7));
    jittery.until(d -> "down", "up"::equals);
    assertThat(time.sleeps()).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO,
        Duration.ofMillis(100)));
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void misuseIsRejected() {
    assertThatThrownBy(() -> Await.atMost(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    assertThatThrownBy(() -> await.until(d -> null, x -> true))
        .isInstanceOf(NullPointerException.class);
  }
}
