package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transactions with kafka-clients 4.4 against the coordinator broker, which advertises the
 * transaction protocol version 2 (KIP-890); {@link TransactionsWithProtocolVersionZeroTest} runs
 * the same with the earlier protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsTest {
  RunningCoordinator broker;
  Admin admin;

  /** The broker's flags beyond the usual test ones. */
  Map<String, String> settings() {
    return Map.of("transaction-abort-timed-out-interval", "200ms", "group-shards", "3");
  }

  /** True when the broker lets clients use the transaction protocol version 2. */
  boolean epochPerTransaction() {
    return true;
  }

  @BeforeAll
  void start() {
    broker = RunningCoordinator.start(settings());
    admin = Clients.admin(broker.bootstrapServers());
  }

  @AfterAll
  void stop() {
    admin.close();
    broker.close();
  }

  void createTopic(String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
  }

  KafkaProducer<String, String> transactional(String transactionalId) {
    return transactional(transactionalId, Map.of());
  }

  KafkaProducer<String, String> transactional(
      String transactionalId, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.putAll(overrides);
    return Clients.producer(broker.bootstrapServers(), config);
  }

  List<String> readAll(String topic, IsolationLevel isolation, int expectedAtLeast) {
    return Clients.readValues(
        broker.bootstrapServers(),
        topic,
        isolation.toString().toLowerCase(java.util.Locale.ROOT),
        expectedAtLeast,
        Duration.ofSeconds(15));
  }

  @Test
  void committedRecordsAreReadAndAbortedOnesOnlyByReadUncommittedConsumers() throws Exception {
    createTopic("txn-isolation", 2);
    try (KafkaProducer<String, String> producer = transactional("isolation")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-isolation", 0, "k", "committed-1"));
      producer.send(new ProducerRecord<>("txn-isolation", 1, "k", "committed-2"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-isolation", 0, "k", "aborted-1"));
      producer.send(new ProducerRecord<>("txn-isolation", 1, "k", "aborted-2"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-isolation", 0, "k", "committed-3"));
      producer.commitTransaction();
    }
    assertThat(readAll("txn-isolation", IsolationLevel.READ_COMMITTED, 3))
        .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
    assertThat(readAll("txn-isolation", IsolationLevel.READ_UNCOMMITTED, 5))
        .containsExactlyInAnyOrder(
            "committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3");
    // the HTTP view of the newest messages shows what a read_committed consumer sees
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String body = get("/messages/txn-isolation?limit=100");
              assertThat(body).contains("committed-1", "committed-2", "committed-3");
              assertThat(body).doesNotContain("aborted-1").doesNotContain("aborted-2");
              assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body))
                  .as("three messages, no transaction markers")
                  .hasSize(3);
            });
  }

  String get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(broker.httpBase() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aZombieProducerIsFencedAndItsOpenTransactionAborted() throws Exception {
    createTopic("txn-zombie", 1);
    KafkaProducer<String, String> zombie = transactional("zombie");
    zombie.initTransactions();
    zombie.beginTransaction();
    zombie.send(new ProducerRecord<>("txn-zombie", "k", "from-zombie")).get();

    try (KafkaProducer<String, String> successor = transactional("zombie")) {
      successor.initTransactions();
      successor.beginTransaction();
      successor.send(new ProducerRecord<>("txn-zombie", "k", "from-successor"));
      successor.commitTransaction();
    }
    assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
    zombie.close(Duration.ZERO);
    assertThat(readAll("txn-zombie", IsolationLevel.READ_COMMITTED, 1))
        .containsExactly("from-successor");
  }

  @Test
  void offsetsSentInATransactionCountOnlyOnceItCommits() throws Exception {
    createTopic("txn-offsets", 1);
    TopicPartition tp = new TopicPartition("txn-offsets", 0);
    String group = "txn-offsets-group";
    try (KafkaProducer<String, String> producer = transactional("offsets")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.sendOffsetsToTransaction(
          Map.of(tp, new OffsetAndMetadata(3)), new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      // the producer is answered once the decision is durable; the offsets move with the markers
      awaitCommitted(group, tp, 3);

      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-offsets", "k", "v"));
      producer.sendOffsetsToTransaction(
          Map.of(tp, new OffsetAndMetadata(42)), new ConsumerGroupMetadata(group));
      producer.abortTransaction();
      awaitCommitted(group, tp, 3);
      assertThat(committed(group, true).get(tp).offset()).as("aborted: unchanged").isEqualTo(3);

      producer.beginTransaction();
      producer.sendOffsetsToTransaction(
          Map.of(tp, new OffsetAndMetadata(7)), new ConsumerGroupMetadata(group));
      assertThat(committed(group, false).get(tp).offset())
          .as("pending until the commit")
          .isEqualTo(3);
      try (KafkaConsumer<String, String> readCommitted =
          Clients.consumer(
              broker.bootstrapServers(),
              group,
              Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
        // a read_committed consumer asks with require_stable and retries while it is unstable
        assertThatThrownBy(() -> readCommitted.committed(Set.of(tp), Duration.ofMillis(1500)))
            .as("require_stable: the offset is about to change")
            .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        producer.commitTransaction();
        assertThat(readCommitted.committed(Set.of(tp), Duration.ofSeconds(10)).get(tp).offset())
            .isEqualTo(7);
      }
    }
    awaitCommitted(group, tp, 7);
  }

  /** Waits until the group's stable committed offset of {@code tp} is {@code offset}. */
  void awaitCommitted(String group, TopicPartition tp, long offset) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              OffsetAndMetadata committed = committed(group, true).get(tp);
              return committed != null && committed.offset() == offset;
            });
  }

  Map<TopicPartition, OffsetAndMetadata> committed(String group, boolean requireStable)
      throws Exception {
    return admin
        .listConsumerGroupOffsets(
            group,
            new ListConsumerGroupOffsetsOptions().requireStable(requireStable).timeoutMs(1500))
        .partitionsToOffsetAndMetadata()
        .get();
  }

  @Test
  void theLastStableOffsetWaitsForTheOpenTransaction() throws Exception {
    createTopic("txn-lso", 1);
    TopicPartition tp = new TopicPartition("txn-lso", 0);
    try (KafkaProducer<String, String> plain = Clients.producer(broker.bootstrapServers());
        KafkaProducer<String, String> producer = transactional("lso")) {
      plain.send(new ProducerRecord<>("txn-lso", "k", "before")).get();
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-lso", "k", "open")).get();
      plain.send(new ProducerRecord<>("txn-lso", "k", "after")).get();

      assertThat(latest(tp, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(3);
      assertThat(latest(tp, IsolationLevel.READ_COMMITTED)).isEqualTo(1);
      producer.commitTransaction();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> latest(tp, IsolationLevel.READ_COMMITTED) == 4);
    }
  }

  long latest(TopicPartition tp, IsolationLevel isolation)
      throws ExecutionException, InterruptedException {
    return admin
        .listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
        .partitionResult(tp)
        .get()
        .offset();
  }

  @Test
  void aTransactionLeftOpenPastItsTimeoutIsAbortedAndCounted() throws Exception {
    createTopic("txn-timeout", 1);
    double timedOutBefore = metric("coordinator_transactions_timed_out_total");
    KafkaProducer<String, String> producer =
        transactional("timeout", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1000));
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>("txn-timeout", "k", "forgotten")).get();
    assertThat(metric("coordinator_transactions_open")).isGreaterThanOrEqualTo(1);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> metric("coordinator_transactions_timed_out_total") > timedOutBefore);
    TopicPartition tp = new TopicPartition("txn-timeout", 0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> latest(tp, IsolationLevel.READ_COMMITTED) == 2);
    assertThatThrownBy(producer::commitTransaction).isInstanceOf(Exception.class);
    producer.close(Duration.ZERO);
    assertThat(readAll("txn-timeout", IsolationLevel.READ_COMMITTED, 0)).isEmpty();
  }

  @Test
  void transactionsAreListedAndDescribedThroughTheAdminClient() throws Exception {
    createTopic("txn-describe", 2);
    try (KafkaProducer<String, String> producer = transactional("described")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("txn-describe", 1, "k", "v")).get();

      TransactionDescription description = Clients.describeTransaction(admin, "described");
      assertThat(description.state()).isEqualTo(TransactionState.ONGOING);
      assertThat(description.topicPartitions())
          .containsExactly(new TopicPartition("txn-describe", 1));
      List<String> listed =
          admin.listTransactions().all().get().stream()
              .map(TransactionListing::transactionalId)
              .toList();
      assertThat(listed).contains("described");
      producer.commitTransaction();
      // with the transaction protocol version 2 (KIP-890) the epoch moves on with every transaction
      assertThat(Clients.describeTransaction(admin, "described").producerEpoch())
          .isEqualTo(description.producerEpoch() + (epochPerTransaction() ? 1 : 0));
      // the producer is answered once the decision is durable; the markers follow
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Clients.describeTransaction(admin, "described").state()
                      == TransactionState.COMPLETE_COMMIT);
    }
    assertThat(metric("coordinator_transactions_committed_total")).isGreaterThanOrEqualTo(1);
  }

  double metric(String name) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(broker.httpBase() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$")
            .matcher(response.body());
    return matcher.find() ? Double.parseDouble(matcher.group(2)) : 0;
  }
}
