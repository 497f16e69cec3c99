package dev.deploykit.it.support.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one fake (or one test class) sent through a {@link Contract}: every exchange checked as it
 * happens, the violations kept for {@link #assertKept()}. Thread-safe: fakes answer on many
 * threads.
 */
public final class ContractLedger {
  private static final int SHOWN = 20;

  private final Contract contract;
  private final AtomicLong pairs = new AtomicLong();
  private final AtomicLong brokenPairs = new AtomicLong();
  private final List<String> violations = new ArrayList<>();

  public ContractLedger(Contract contract) {
    this.contract = contract;
  }

  /** Checks one exchange against the contract and records the outcome. */
  public void record(Exchange exchange) {
    List<String> broken = contract.check(exchange);
    pairs.incrementAndGet();
    if (!broken.isEmpty()) {
      brokenPairs.incrementAndGet();
      synchronized (violations) {
        violations.addAll(broken);
      }
    }
  }

  /** Exchanges recorded. */
  public long pairs() {
    return pairs.get();
  }

  /** Every violation recorded, one line each. */
  public List<String> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /**
   * Fails, listing the first violations, unless every exchange kept the contract; prints the count
   * either way (the figure the closing notes quote).
   */
  public void assertKept() {
    List<String> broken = violations();
    System.out.printf("%s: %d request/response pairs validated, %d broke it%n",
        contract.file(), pairs(), brokenPairs.get());
    if (!broken.isEmpty()) {
      throw new AssertionError(brokenPairs.get() + " exchanges broke " + contract.file() + ":\n  "
          + String.join("\n  ", broken.subList(0, Math.min(SHOWN, broken.size())))
          + (broken.size() > SHOWN ? "\n  ..." : ""));
    }
  }
}
