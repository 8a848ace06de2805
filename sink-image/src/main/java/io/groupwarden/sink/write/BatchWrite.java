package io.groupwarden.sink.write;

import io.groupwarden.sink.config.OnStoreOutage;
import io.groupwarden.sink.document.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The writing of one batch until every item in it is stored or bound for the dead-letter topic.
 *
 * <p>A state machine without I/O: the caller asks for the {@link #nextChunk() next chunk}, inserts
 * it, reports the {@link InsertResult} with {@link #record}, and waits until {@link
 * #nextAttemptAt()} when told to. The rules:
 *
 * <ul>
 *   <li>documents the store refuses one by one are retried alone with backoff, up to {@code
 *       maxRetries}, then dead-lettered ({@link RejectReason#STORE_REJECTED});
 *   <li>a request refused as a whole is retried with backoff up to {@code maxRetries}, then split
 *       in halves, and halves of halves, each tried once, until the documents that fail are alone
 *       and dead-lettered;
 *   <li>an unreachable store is retried with backoff; with {@link OnStoreOutage#PAUSE} forever (the
 *       caller keeps consumption paused meanwhile), with {@link OnStoreOutage#DEAD_LETTER} up to
 *       {@code maxRetries}, then everything not yet stored is dead-lettered ({@link
 *       RejectReason#STORE_UNAVAILABLE}).
 * </ul>
 *
 * @param <T> the caller's item, which carries the document and the message it came from
 */
public final class BatchWrite<T> {
  private final RetryPolicy retry;
  private final OnStoreOutage onStoreOutage;

  /** Chunks still to insert, the next one first. The whole batch is the only chunk at first. */
  private final Deque<List<T>> chunks = new ArrayDeque<>();

  private final List<DeadLetter<T>> deadLetters = new ArrayList<>();
  private int stored;
  private int duplicates;
  private int failures;
  private boolean isolating;
  private boolean storeUnavailable;
  private Instant nextAttemptAt;

  /** An item that will not be stored, and why. */
  public record DeadLetter<T>(T item, RejectReason reason, String error) {}

  public BatchWrite(List<T> items, RetryPolicy retry, OnStoreOutage onStoreOutage, Instant now) {
    this.retry = retry;
    this.onStoreOutage = onStoreOutage;
    this.nextAttemptAt = now;
    if (!items.isEmpty()) {
      chunks.add(List.copyOf(items));
    }
  }

  /** True when every item is stored or dead-lettered. */
  public boolean isDone() {
    return chunks.isEmpty();
  }

  /** The items to insert next; call only when not {@link #isDone()}. */
  public List<T> nextChunk() {
    if (chunks.isEmpty()) {
      throw new IllegalStateException("the batch is done");
    }
    return chunks.peekFirst();
  }

  /** When the next chunk may be tried: now, or after a backoff. */
  public Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  /** The time left until the next attempt; zero when it is due. */
  public Duration waitingTime(Instant now) {
    Duration left = Duration.between(now, nextAttemptAt);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** True while the last attempt found the store unreachable. */
  public boolean storeUnavailable() {
    return storeUnavailable;
  }

  /** Applies the result of inserting {@link #nextChunk()} at {@code now}. */
  public void record(InsertResult result, Instant now) {
    List<T> chunk = nextChunk();
    if (result instanceof InsertResult.Written written) {
      written(chunk, written, now);
    } else if (result instanceof InsertResult.Unavailable unavailable) {
      unavailable(unavailable, now);
    } else {
      failed(chunk, (InsertResult.Failed) result, now);
    }
  }

  private void written(List<T> chunk, InsertResult.Written written, Instant now) {
    storeUnavailable = false;
    chunks.removeFirst();
    stored += written.inserted();
    duplicates += written.duplicates();
    if (written.refused().isEmpty()) {
      failures = 0;
      nextAttemptAt = now;
      return;
    }
    // In the chunk's order, so a retry writes them as they were read.
    Map<Integer, String> byPosition = new TreeMap<>(written.refused());
    List<T> refused = new ArrayList<>();
    for (Map.Entry<Integer, String> entry : byPosition.entrySet()) {
      refused.add(chunk.get(entry.getKey()));
    }
    failures++;
    if (!isolating && retry.allowsRetryAfter(failures)) {
      chunks.addFirst(List.copyOf(refused));
      nextAttemptAt = now.plus(retry.delayBefore(failures));
      return;
    }
    for (Map.Entry<Integer, String> entry : byPosition.entrySet()) {
      deadLetters.add(
          new DeadLetter<>(
              chunk.get(entry.getKey()), RejectReason.STORE_REJECTED, entry.getValue()));
    }
    failures = 0;
    nextAttemptAt = now;
  }

  private void unavailable(InsertResult.Unavailable unavailable, Instant now) {
    storeUnavailable = true;
    failures++;
    if (onStoreOutage == OnStoreOutage.PAUSE || retry.allowsRetryAfter(failures)) {
      nextAttemptAt = now.plus(retry.delayBefore(failures));
      return;
    }
    for (List<T> chunk : chunks) {
      for (T item : chunk) {
        deadLetters.add(
            new DeadLetter<>(item, RejectReason.STORE_UNAVAILABLE, unavailable.error()));
      }
    }
    chunks.clear();
    failures = 0;
    nextAttemptAt = now;
  }

  private void failed(List<T> chunk, InsertResult.Failed failed, Instant now) {
    storeUnavailable = false;
    failures++;
    if (!isolating && retry.allowsRetryAfter(failures)) {
      nextAttemptAt = now.plus(retry.delayBefore(failures));
      return;
    }
    // Retries did not help: find the documents that fail by writing ever smaller parts once each.
    isolating = true;
    failures = 0;
    nextAttemptAt = now;
    chunks.removeFirst();
    if (chunk.size() == 1) {
      deadLetters.add(new DeadLetter<>(chunk.get(0), RejectReason.STORE_REJECTED, failed.error()));
      return;
    }
    int half = chunk.size() / 2;
    chunks.addFirst(List.copyOf(chunk.subList(half, chunk.size())));
    chunks.addFirst(List.copyOf(chunk.subList(0, half)));
  }

  /**
   * Drops the items that are no longer this worker's (their partitions were revoked); the new owner
   * reads them again from the last committed offset.
   */
  public void discard(Predicate<T> notOurs) {
    List<List<T>> kept = new ArrayList<>();
    for (List<T> chunk : chunks) {
      List<T> rest = chunk.stream().filter(notOurs.negate()).toList();
      if (!rest.isEmpty()) {
        kept.add(rest);
      }
    }
    chunks.clear();
    chunks.addAll(kept);
    deadLetters.removeIf(letter -> notOurs.test(letter.item()));
  }

  /** Documents the store took (inserted now). */
  public int stored() {
    return stored;
  }

  /** Documents that were already stored ({@code _id} existed): a re-delivery. */
  public int duplicates() {
    return duplicates;
  }

  /** Items that will not be stored; they go to the dead-letter topic. */
  public List<DeadLetter<T>> deadLetters() {
    return List.copyOf(deadLetters);
  }
}
