package io.groupwarden.operator.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One problem with hysteresis: raised when it has been present for {@code raiseAfter}, and cleared
 * only when it has been absent for {@code recoverAfter}, so that a problem that comes and goes
 * between samples is reported once and recovers once. While it recovers, the last subject seen (the
 * stuck partition with its offsets, say) is kept for the status to show.
 *
 * @param pendingSince when the problem was first seen in its present run
 * @param raisedAt when it was raised; null while it is pending
 * @param resolvedSince when it was first seen absent again; null while present
 * @param subject what the problem is about, as last seen
 * @param <T> the subject's type
 */
public record Latch<T>(Instant pendingSince, Instant raisedAt, Instant resolvedSince, T subject) {

  public boolean raised() {
    return raisedAt != null;
  }

  /**
   * The next state of a problem.
   *
   * @param previous its state before, or null when it was neither pending nor raised
   * @param present its subject when the problem is present now, null when absent
   * @param raiseAfter how long it must be present to be raised
   * @param recoverAfter how long it must be absent to be cleared
   * @param now the time of this observation
   * @return the state to keep, or null when the problem is neither pending nor raised any more
   */
  public static <T> Latch<T> step(
      Latch<T> previous, T present, Duration raiseAfter, Duration recoverAfter, Instant now) {
    if (present != null) {
      Instant pendingSince = previous == null ? now : previous.pendingSince();
      Instant raisedAt =
          previous != null && previous.raised()
              ? previous.raisedAt()
              : !now.isBefore(pendingSince.plus(raiseAfter)) ? now : null;
      return new Latch<>(pendingSince, raisedAt, null, present);
    }
    if (previous == null || !previous.raised()) {
      return null;
    }
    Instant resolvedSince = previous.resolvedSince() != null ? previous.resolvedSince() : now;
    if (!now.isBefore(resolvedSince.plus(recoverAfter))) {
      return null;
    }
    return new Latch<>(
        previous.pendingSince(), previous.raisedAt(), resolvedSince, previous.subject());
  }

  /** {@link #step} for every key that was latched before or is present now. */
  public static <K, T> Map<K, Latch<T>> stepAll(
      Map<K, Latch<T>> previous,
      Map<K, T> present,
      Duration raiseAfter,
      Duration recoverAfter,
      Instant now) {
    if (previous.isEmpty() && present.isEmpty()) {
      return Map.of();
    }
    Map<K, Latch<T>> next = new HashMap<>();
    for (Map.Entry<K, T> entry : present.entrySet()) {
      Latch<T> latch =
          step(previous.get(entry.getKey()), entry.getValue(), raiseAfter, recoverAfter, now);
      next.put(entry.getKey(), latch);
    }
    for (Map.Entry<K, Latch<T>> entry : previous.entrySet()) {
      if (!present.containsKey(entry.getKey())) {
        Latch<T> latch = step(entry.getValue(), null, raiseAfter, recoverAfter, now);
        if (latch != null) {
          next.put(entry.getKey(), latch);
        }
      }
    }
    return Map.copyOf(next);
  }
}
