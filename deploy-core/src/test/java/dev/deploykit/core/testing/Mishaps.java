package dev.deploykit.core.testing;

import dev.deploykit.core.DeployEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What a {@link FakeDockerHost} is scripted to go wrong: the run dying after an event or at a
 * call, calls that time out, interrupts at a fake sleep. Every script fires once.
 *
 * <p>Guarded by its host.
 */
final class Mishaps {
  private final List<Predicate<DeployEvent>> crashAfter = new ArrayList<>();
  private final List<Predicate<String>> crashOn = new ArrayList<>();
  private final List<Predicate<String>> timeouts = new ArrayList<>();
  private final List<BooleanSupplier> interrupts = new ArrayList<>();
  private final List<Predicate<String>> lost = new ArrayList<>();
  private boolean crashed;

  void crashAfter(Predicate<DeployEvent> event) {
    crashAfter.add(event);
  }

  void crashOn(Predicate<String> call) {
    crashOn.add(call);
  }

  void lose(Predicate<String> call) {
    lost.add(call);
  }

  /** Whether this call is lost on its way (once per script): nothing happens, nothing answers. */
  boolean loses(String call) {
    return fire(lost, p -> p.test(call));
  }

  void timeOut(Predicate<String> call) {
    timeouts.add(call);
  }

  void interruptWhen(BooleanSupplier when) {
    interrupts.add(when);
  }

  boolean crashed() {
    return crashed;
  }

  void recover() {
    crashed = false;
  }

  /** Whether the run dies after this event; from then on it is dead. */
  boolean diesAfter(DeployEvent event) {
    crashed |= fire(crashAfter, p -> p.test(event));
    return crashed;
  }

  /** Whether the run dies at this call; from then on it is dead. */
  boolean diesAt(String call) {
    crashed |= fire(crashOn, p -> p.test(call));
    return crashed;
  }

  /** Whether this call times out. */
  boolean timesOut(String call) {
    return fire(timeouts, p -> p.test(call));
  }

  /** Whether the sleeping thread is to be interrupted now. */
  boolean interruptsNow() {
    return fire(interrupts, BooleanSupplier::getAsBoolean);
  }

  private static <T> boolean fire(List<T> scripts, Predicate<T> hits) {
    Optional<T> hit = scripts.stream().filter(hits).findFirst();
    hit.ifPresent(scripts::remove);
    return hit.isPresent();
  }
}
