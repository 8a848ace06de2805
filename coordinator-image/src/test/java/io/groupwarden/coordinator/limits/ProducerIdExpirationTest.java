package io.groupwarden.coordinator.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Producers that come and go do not pile up in the partitions they wrote to: an idle producer's
 * state is dropped after {@code --producer-id-expiration} (Kafka's producer.id.expiration.ms), as
 * DescribeProducers shows, and the producer can still write afterwards; a producer with an open
 * transaction keeps its state until the transaction ends.
 */
class ProducerIdExpirationTest {
  private static final TopicPartition IDLE = new TopicPartition("expiring-idle", 0);
  private static final TopicPartition TXN = new TopicPartition("expiring-txn", 0);

  @Test
  void anIdleProducerIsForgottenAndWritesAgainWhileAnOpenTransactionKeepsItsProducer()
      throws Exception {
    try (RunningCoordinator broker =
            RunningCoordinator.start(
                Map.of(
                    "producer-id-expiration", "2s",
                    "producer-id-expiration-check-interval", "100ms"));
        Admin admin = Clients.admin(broker.bootstrapServers());
        KafkaProducer<String, String> idempotent = Clients.producer(broker.bootstrapServers());
        KafkaProducer<String, String> transactional =
            Clients.producer(
                broker.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "expiring-txn-producer"))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(IDLE.topic(), 1, (short) 1),
                  new NewTopic(TXN.topic(), 1, (short) 1)))
          .all()
          .get(10, TimeUnit.SECONDS);
      assertThat(
              admin
                  .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                  .all()
                  .get(10, TimeUnit.SECONDS)
                  .values()
                  .iterator()
                  .next()
                  .get("producer.id.expiration.ms")
                  .value())
          .isEqualTo("2000");

      transactional.initTransactions();
      transactional.beginTransaction();
      transactional.send(new ProducerRecord<>(TXN.topic(), "open")).get(10, TimeUnit.SECONDS);
      idempotent.send(new ProducerRecord<>(IDLE.topic(), "before")).get(10, TimeUnit.SECONDS);
      assertThat(producers(admin, IDLE)).hasSize(1);
      assertThat(producers(admin, TXN)).hasSize(1);

      // the idle producer goes; the one with the open transaction, idle longer still, stays
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(producers(admin, IDLE)).isEmpty());
      List<ProducerState> kept = producers(admin, TXN);
      assertThat(kept)
          .singleElement()
          .satisfies(s -> assertThat(s.currentTransactionStartOffset()).hasValue(0));

      // the forgotten producer writes on, and nothing it wrote is lost or doubled
      idempotent.send(new ProducerRecord<>(IDLE.topic(), "after")).get(10, TimeUnit.SECONDS);
      assertThat(producers(admin, IDLE)).hasSize(1);
      assertThat(
              Clients.readValues(
                  broker.bootstrapServers(),
                  IDLE.topic(),
                  "read_committed",
                  2,
                  Duration.ofSeconds(20)))
          .containsExactly("before", "after");

      // once its transaction ends, the transactional producer is idle like any other
      transactional.commitTransaction();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(producers(admin, TXN)).isEmpty());
    }
  }

  private static List<ProducerState> producers(Admin admin, TopicPartition partition)
      throws Exception {
    return admin
        .describeProducers(List.of(partition))
        .partitionResult(partition)
        .get(10, TimeUnit.SECONDS)
        .activeProducers();
  }
}
