package dev.deploykit.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CheckThreadsTest {

  @Test
  void aReusedThreadCarriesNoInterruptIntoItsNextTask() throws Exception {
    try (CheckThreads.Reused threads = new CheckThreads.Reused("t-", Duration.ofSeconds(30))) {
      AtomicReference<Thread> first = new AtomicReference<>();
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch interrupted = new CountDownLatch(1);
      CheckThreads.Started hung = threads.start(() -> {
        first.set(Thread.currentThread());
        running.countDown();
        try {
          Thread.sleep(Duration.ofMinutes(10));
        } catch (InterruptedException e) {
          interrupted.countDown();
        }
      });
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      hung.interrupt();
      assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100); // lets the thread go back to waiting for a task

      AtomicReference<Thread> second = new AtomicReference<>();
      AtomicBoolean cleanStart = new AtomicBoolean();
      CountDownLatch slept = new CountDownLatch(1);
      CheckThreads.Started next = threads.start(() -> {
        second.set(Thread.currentThread());
        cleanStart.set(!Thread.currentThread().isInterrupted());
        try {
          Thread.sleep(20);
          slept.countDown();
        } catch (InterruptedException e) {
          // a stale interrupt: slept stays up
        }
      });
      assertThat(slept.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(second.get()).isSameAs(first.get());
      assertThat(cleanStart).isTrue();
      assertThat(threads.threads()).isEqualTo(1);
      next.interrupt(); // after the task: does nothing
    }
  }

  @Test
  void afterCloseEachTaskGetsANewPlatformThread() throws Exception {
    CheckThreads.Reused threads = new CheckThreads.Reused("t-", Duration.ofSeconds(30));
    threads.close();
    AtomicReference<Thread> ran = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    threads.start(() -> {
      ran.set(Thread.currentThread());
      done.countDown();
    });
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran.get().isVirtual()).isFalse();
    assertThat(ran.get().isDaemon()).isTrue();
    assertThat(ran.get().getName()).startsWith("t-");
  }

  @Test
  void newThreadEachInterruptsItsOwnThread() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    CheckThreads.Started s = CheckThreads.newThreadEach(Thread.ofVirtual().factory()).start(() -> {
      running.countDown();
      try {
        Thread.sleep(Duration.ofMinutes(10));
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
    s.interrupt();
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
