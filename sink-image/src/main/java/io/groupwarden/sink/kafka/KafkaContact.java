package io.groupwarden.sink.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the worker is in touch with Kafka. The consumer never says so itself: with the brokers
 * away, {@code poll} just returns nothing. So every answer the worker gets counts (records fetched,
 * partitions assigned, a commit accepted), and when none has come for {@link #PROBE_AFTER} the
 * group coordinator is asked for the group's committed offsets, a cheap round trip. Failed probes
 * are repeated with backoff; once nothing has been heard for the outage limit, {@link #check()}
 * throws {@link KafkaUnreachableException} and the worker exits so that Kubernetes restarts it.
 *
 * <p>Used on the consumer's thread only.
 */
public final class KafkaContact {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaContact.class);

  /** A stream this quiet gets a probe: an idle topic is no sign of a lost broker. */
  public static final Duration PROBE_AFTER = Duration.ofSeconds(5);

  /** How long one probe waits for its answer; the loop is blocked meanwhile. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

  private final Consumer<?, ?> consumer;
  private final TopicPartition probePartition;
  private final Duration limit;
  private final Clock clock;
  private Instant lastHeard;
  private Instant nextProbe;
  private int failedProbes;

  /**
   * @param topic the consumed topic: its partition 0 always exists, so the probe can ask for it
   *     whatever this worker owns
   */
  public KafkaContact(Consumer<?, ?> consumer, String topic, Duration limit, Clock clock) {
    this.consumer = consumer;
    this.probePartition = new TopicPartition(topic, 0);
    this.limit = limit;
    this.clock = clock;
    this.lastHeard = clock.instant();
    this.nextProbe = lastHeard.plus(PROBE_AFTER);
  }

  /** Kafka answered. */
  public void heard() {
    Instant now = clock.instant();
    if (failedProbes > 0) {
      LOG.info(
          "Kafka answers again after {}s without an answer",
          Duration.between(lastHeard, now).toSeconds());
      failedProbes = 0;
    }
    lastHeard = now;
    nextProbe = now.plus(PROBE_AFTER);
  }

  /** True after a probe went unanswered, until Kafka answers again. */
  public boolean unreachable() {
    return failedProbes > 0;
  }

  /**
   * Probes Kafka when it is due.
   *
   * @throws KafkaUnreachableException when Kafka has not answered for the outage limit
   */
  public void check() {
    Instant now = clock.instant();
    if (now.isBefore(nextProbe)) {
      return;
    }
    try {
      consumer.committed(Set.of(probePartition), PROBE_TIMEOUT);
      heard();
      return;
    } catch (InterruptException e) {
      throw e;
    } catch (KafkaException e) {
      failedProbes++;
      now = clock.instant();
      Duration silent = Duration.between(lastHeard, now);
      if (silent.compareTo(limit) >= 0) {
        throw new KafkaUnreachableException(silent, limit);
      }
      Duration left = limit.minus(silent);
      Duration backoff = backoff(failedProbes);
      nextProbe = now.plus(backoff.compareTo(left) < 0 ? backoff : left);
      LOG.warn(
          "Kafka does not answer ({}s so far; giving up after {}s): {}",
          silent.toSeconds(),
          limit.toSeconds(),
          e.toString());
    }
  }

  private static Duration backoff(int failures) {
    long millis = FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }
}
