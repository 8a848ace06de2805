package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProduceConsumeTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  @Test
  void aJavaProducerAndConsumerRoundTripRecordsThroughAnAutoCreatedTopic() throws Exception {
    List<RecordMetadata> acks = new ArrayList<>();
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      for (int i = 0; i < 100; i++) {
        acks.add(producer.send(new ProducerRecord<>("round-trip", "k" + i, "v" + i)).get());
      }
    }
    assertThat(acks).extracting(RecordMetadata::offset).containsExactlyElementsOf(range(100));

    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.bootstrapServers(), "round-trip-group", Map.of())) {
      consumer.subscribe(List.of("round-trip"));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.size() < 100 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      consumer.commitSync();
    }
    assertThat(values).hasSize(100).startsWith("v0", "v1").endsWith("v99");
  }

  @Test
  void everyAcksSettingIsServedAndAcksZeroGetsNoResponse() throws Exception {
    for (String acks : List.of("0", "1", "all")) {
      try (KafkaProducer<String, String> producer =
          Clients.producer(
              broker.bootstrapServers(),
              Map.of("acks", acks, "enable.idempotence", acks.equals("all")))) {
        for (int i = 0; i < 10; i++) {
          producer.send(new ProducerRecord<>("acks-" + acks, "k", "v" + i)).get();
        }
      }
      try (KafkaConsumer<String, String> consumer =
          Clients.consumer(broker.bootstrapServers(), "acks-group-" + acks, Map.of())) {
        consumer.subscribe(List.of("acks-" + acks));
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (values.size() < 10 && System.currentTimeMillis() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).as("acks=" + acks).hasSize(10);
      }
    }
  }

  @Test
  void aWaitingFetchIsAnsweredAsSoonAsDataArrives() throws Exception {
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      producer.send(new ProducerRecord<>("long-poll", "k", "first")).get();
      KafkaConsumer<String, String> consumer =
          Clients.consumer(
              broker.bootstrapServers(),
              "long-poll-group",
              Map.of("fetch.max.wait.ms", 60_000, "fetch.min.bytes", 1));
      try {
        consumer.subscribe(List.of("long-poll"));
        List<String> values = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (values.isEmpty() && System.currentTimeMillis() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        // The consumer's next fetch now waits on the broker (for up to a minute); a new record
        // must end that wait, so the second poll returns long before the wait is over.
        producer.send(new ProducerRecord<>("long-poll", "k", "second")).get();
        deadline = System.currentTimeMillis() + 30_000;
        while (values.size() < 2 && System.currentTimeMillis() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).containsExactly("first", "second");
      } finally {
        // Its next fetch is parked on the broker; do not wait for it.
        consumer.close(Duration.ZERO);
      }
    }
  }

  private static List<Long> range(int n) {
    List<Long> list = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }
}
