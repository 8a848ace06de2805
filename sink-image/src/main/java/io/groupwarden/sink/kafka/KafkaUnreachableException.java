package io.groupwarden.sink.kafka;

import java.time.Duration;

/** Kafka has not answered for longer than the configured limit: the worker gives up and exits. */
public final class KafkaUnreachableException extends RuntimeException {
  public KafkaUnreachableException(Duration silentFor, Duration limit) {
    super(
        "no answer from Kafka for "
            + silentFor.toSeconds()
            + "s, longer than the limit of "
            + limit.toSeconds()
            + "s (SINK_KAFKA_OUTAGE_LIMIT); exiting so that the worker is restarted");
  }
}
