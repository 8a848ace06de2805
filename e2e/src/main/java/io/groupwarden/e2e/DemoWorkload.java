package io.groupwarden.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A small live workload for the local runner: orders produced at a steady rate, one group that
 * keeps up (two members) and one that processes too slowly to keep up (one member).
 */
final class DemoWorkload implements AutoCloseable {
  private static final String TOPIC = "demo-orders";
  private final String bootstrap;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  DemoWorkload(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  void start() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
    }
    thread("producer", this::produce);
    thread("billing-1", () -> consume("demo-billing", Duration.ZERO));
    thread("billing-2", () -> consume("demo-billing", Duration.ZERO));
    thread("shipping-1", () -> consume("demo-shipping", Duration.ofMillis(40)));
  }

  private void thread(String name, Runnable body) {
    Thread thread = new Thread(body, "demo-" + name);
    thread.setDaemon(true);
    thread.start();
    threads.add(thread);
  }

  private void produce() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      long n = 0;
      while (running.get()) {
        producer.send(new ProducerRecord<>(TOPIC, "order-" + n, "{\"order\":" + n + "}"));
        n++;
        pace(Duration.ofMillis(20)); // about 50 orders a second
      }
    }
  }

  private void consume(String group, Duration perRecord) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(TOPIC));
      while (running.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (int i = 0; i < records.count() && !perRecord.isZero(); i++) {
          pace(perRecord); // a slow consumer: its processing time per record
        }
        consumer.commitSync();
      }
    }
  }

  private static void pace(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
