package io.groupwarden.sink.kafka;

import io.groupwarden.sink.document.RejectReason;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends messages that will not be stored to the dead-letter topic, and waits until it has them. */
public final class DeadLetterSender {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSender.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String workerId;
  private final SinkMetrics metrics;

  public DeadLetterSender(
      Producer<byte[], byte[]> producer, String topic, String workerId, SinkMetrics metrics) {
    this.producer = producer;
    this.topic = topic;
    this.workerId = workerId;
    this.metrics = metrics;
  }

  public Future<RecordMetadata> send(InboundMessage message, RejectReason reason, String error) {
    metrics.error(reason.name());
    LOG.warn(
        "dead-lettering {}-{}@{}: {} {}",
        message.topic(),
        message.partition(),
        message.offset(),
        reason,
        error);
    return producer.send(DeadLetter.record(topic, message, reason, error, workerId));
  }

  /**
   * Offsets may pass a dead-lettered message only once the dead-letter topic has it. The producer
   * retries on its own until its delivery timeout; a send that still fails stops the worker, which
   * then starts again from the last committed offset and loses nothing.
   */
  public void awaitAll(List<Future<RecordMetadata>> sends) {
    if (sends.isEmpty()) {
      return;
    }
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        metrics.error("dead_letter_failed");
        throw new IllegalStateException(
            "cannot write to the dead-letter topic " + topic, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
  }

  public void close(Duration timeout) {
    producer.close(timeout);
  }
}
