package io.groupwarden.operator.support;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A real producer writing to every partition of a topic at a steady pace in its own thread. */
public final class ProducerLoop implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong sent = new AtomicLong();
  private final Thread thread;

  public ProducerLoop(String bootstrap, String topic, int partitions, int perPartitionPerSecond) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    KafkaProducer<String, String> producer = new KafkaProducer<>(props);
    long pauseMillis = Math.max(1, 1000 / perPartitionPerSecond);
    thread =
        new Thread(
            () -> {
              try (producer) {
                while (running.get()) {
                  for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "k", "v" + sent.get()));
                    sent.incrementAndGet();
                  }
                  producer.flush();
                  Thread.sleep(pauseMillis); // pacing of the workload, not a test wait
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "producer-loop");
    thread.setDaemon(true);
    thread.start();
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public void close() {
    running.set(false);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
