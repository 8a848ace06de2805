package io.groupwarden.coordinator.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs each producer's transactional requests one after another, in the order they arrived, so that
 * a request waiting for the transaction coordinator is never overtaken by the same producer's next
 * one. Requests of different producers do not wait for each other.
 */
public final class ProducerTurns {
  /** Per producer, the turn of its newest request; completed when that request is done. */
  private final Map<Long, CompletableFuture<Void>> newest = new ConcurrentHashMap<>();

  /**
   * Starts {@code step} once the producer's previous request is done, however it ended; the
   * producer's next request waits in turn for what {@code step} returns to complete.
   */
  public <T> CompletableFuture<T> next(long producerId, Supplier<CompletableFuture<T>> step) {
    CompletableFuture<Void> turn = new CompletableFuture<>();
    CompletableFuture<Void> previous = newest.put(producerId, turn);
    return (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
        .thenCompose(v -> step.get())
        .whenComplete(
            (result, error) -> {
              turn.complete(null);
              newest.remove(producerId, turn);
            });
  }
}
