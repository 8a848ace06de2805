package io.groupwarden.operator.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A real consumer polling in its own thread, committing after each poll unless told to stop
 * committing (it then stays a member that owns its partitions but makes no progress).
 */
public final class ConsumerLoop implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final AtomicBoolean committing = new AtomicBoolean(true);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public ConsumerLoop(KafkaConsumer<String, String> consumer, List<String> topics) {
    this.consumer = consumer;
    this.thread =
        new Thread(
            () -> {
              try {
                consumer.subscribe(topics);
                while (running.get()) {
                  consumer.poll(Duration.ofMillis(100));
                  if (committing.get()) {
                    try {
                      consumer.commitSync();
                    } catch (CommitFailedException
                        | RebalanceInProgressException
                        | RetriableException e) {
                      // a rebalance took the commit's generation away: the next poll rejoins
                    }
                  }
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                consumer.close(Duration.ofSeconds(5));
              }
            },
            "consumer-loop");
    thread.setDaemon(true);
    thread.start();
  }

  public void committing(boolean commit) {
    committing.set(commit);
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
