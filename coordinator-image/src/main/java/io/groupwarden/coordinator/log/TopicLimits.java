package io.groupwarden.coordinator.log;

import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;

/**
 * How many topics and partitions the broker may hold, and how fast partitions may be created: a
 * token bucket of {@code ratePerSecond} partitions refilled continuously, holding ten seconds'
 * worth, in the spirit of Kafka's controller mutation quota (KIP-599). Used under the topic store's
 * lock.
 */
public final class TopicLimits {
  private static final long BURST_SECONDS = 10;

  private final int maxTopics;
  private final int maxPartitions;
  private final double ratePerMs;
  private final double capacity;
  private final LongSupplier clock;
  private final java.util.function.Consumer<String> onRefusal;
  private double tokens;
  private long lastRefillMs;

  /**
   * @param onRefusal told the flag's name each time a limit refuses a topic, for metrics
   */
  public TopicLimits(
      int maxTopics,
      int maxPartitions,
      int ratePerSecond,
      LongSupplier clock,
      java.util.function.Consumer<String> onRefusal) {
    this.onRefusal = onRefusal;
    this.maxTopics = maxTopics;
    this.maxPartitions = maxPartitions;
    this.ratePerMs = ratePerSecond / 1000.0;
    this.capacity = ratePerSecond * (double) BURST_SECONDS;
    this.clock = clock;
    this.tokens = capacity;
    this.lastRefillMs = clock.getAsLong();
  }

  /** No bounds: for tests of the store alone. */
  public static TopicLimits unbounded() {
    return new TopicLimits(
        Integer.MAX_VALUE, Integer.MAX_VALUE, 1_000_000, System::currentTimeMillis, limit -> {});
  }

  /**
   * Takes room for a topic of {@code partitions}.
   *
   * @throws PolicyViolationException when the topic or partition count would pass its maximum
   * @throws ThrottlingQuotaExceededException when partitions are being created too fast; its
   *     throttle time says when this many can be created
   */
  void admit(int topics, int partitions, int newPartitions) {
    if (topics + 1 > maxTopics) {
      onRefusal.accept("max.topics");
      throw new PolicyViolationException(
          "the broker holds its maximum of " + maxTopics + " topics (--max-topics)");
    }
    if ((long) partitions + newPartitions > maxPartitions) {
      onRefusal.accept("max.partitions");
      throw new PolicyViolationException(
          "the broker holds "
              + partitions
              + " partitions; "
              + newPartitions
              + " more would pass its maximum of "
              + maxPartitions
              + " (--max-partitions)");
    }
    long now = clock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastRefillMs) * ratePerMs);
    lastRefillMs = now;
    if (tokens < Math.min(newPartitions, capacity)) {
      onRefusal.accept("controller_mutation_rate");
      int wait = (int) Math.ceil((Math.min(newPartitions, capacity) - tokens) / ratePerMs);
      throw new ThrottlingQuotaExceededException(
          wait,
          "partitions are being created faster than "
              + Math.round(ratePerMs * 1000)
              + " a second (--topic-creation-rate); retry in "
              + wait
              + " ms");
    }
    tokens -= newPartitions;
  }
}
