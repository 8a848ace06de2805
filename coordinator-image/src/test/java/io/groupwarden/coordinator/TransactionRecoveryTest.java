package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import io.groupwarden.coordinator.txn.TransactionMarkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The broker stops between a transaction's decision and its markers (none written, or some of
 * them), and restarts from its data directory: the transaction then completes everywhere or aborts
 * everywhere, never half. The same for a transaction left open, which its timeout aborts.
 */
class TransactionRecoveryTest {
  @TempDir Path dir;

  static final String TOPIC = "recovered";
  static final String GROUP = "recovered-group";
  static final int PARTITIONS = 3;

  /** Writes the markers of the first {@code allowed} partitions of a transaction, then hangs. */
  static UnaryOperator<TransactionMarkers> stopAfter(int allowed) {
    return real ->
        (producerId, epoch, commit, partitions) -> {
          List<TopicPartition> sorted = new ArrayList<>(partitions);
          sorted.sort(Comparator.comparing(TopicPartition::toString));
          Set<TopicPartition> first =
              new LinkedHashSet<>(sorted.subList(0, Math.min(allowed, sorted.size())));
          CompletableFuture<Void> written =
              first.isEmpty()
                  ? CompletableFuture.completedFuture(null)
                  : real.write(producerId, epoch, commit, first);
          return written.thenCompose(v -> new CompletableFuture<Void>());
        };
  }

  static Map<String, String> settings() {
    return Map.of("transaction-abort-timed-out-interval", "200ms", "group-shards", "2");
  }

  @ParameterizedTest(name = "commit={0}, markers written before the stop: {1}")
  @CsvSource({"true, 0", "true, 1", "true, 3", "false, 0", "false, 2"})
  void aDecidedTransactionEndsTheSameWayEverywhereAfterARestart(boolean commit, int written)
      throws Exception {
    try (RunningCoordinator broker = RunningCoordinator.start(dir, settings(), stopAfter(written));
        Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
      KafkaProducer<String, String> producer = producer(broker, Map.of());
      producer.initTransactions();
      producer.beginTransaction();
      for (int p = 0; p < PARTITIONS; p++) {
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(TOPIC, p, "k", "p" + p + "-" + i));
        }
      }
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition("input", 0), new OffsetAndMetadata(5)),
          new ConsumerGroupMetadata(GROUP));
      // every record is written before the decision (an abort would drop batches not yet sent)
      producer.flush();
      if (commit) {
        producer.commitTransaction();
      } else {
        producer.abortTransaction();
      }
      producer.close(Duration.ZERO);
    }

    try (RunningCoordinator restarted = RunningCoordinator.start(dir, settings());
        Admin admin = Clients.admin(restarted.bootstrapServers())) {
      TransactionState expected =
          commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Clients.describeTransaction(admin, "recovering").state() == expected);
      for (int p = 0; p < PARTITIONS; p++) {
        TopicPartition tp = new TopicPartition(TOPIC, p);
        // three records and exactly one marker: a marker written before the stop is not repeated
        assertThat(offset(admin, tp, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(4);
        assertThat(offset(admin, tp, IsolationLevel.READ_COMMITTED)).isEqualTo(4);
      }
      List<String> visible = readCommitted(restarted, commit ? 9 : 0);
      assertThat(visible).hasSize(commit ? 9 : 0);
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      if (commit) {
        assertThat(offsets.get(new TopicPartition("input", 0)).offset()).isEqualTo(5);
      } else {
        assertThat(offsets).doesNotContainKey(new TopicPartition("input", 0));
      }
    }
  }

  @Test
  void aTransactionLeftOpenIsAbortedByItsTimeoutAfterARestart() throws Exception {
    brokerStoppedWithATransactionOpen(3000);
    try (RunningCoordinator restarted = RunningCoordinator.start(dir, settings());
        Admin admin = Clients.admin(restarted.bootstrapServers())) {
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      assertThat(offset(admin, tp, IsolationLevel.READ_COMMITTED))
          .as("still open after the restart")
          .isZero();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> offset(admin, tp, IsolationLevel.READ_COMMITTED) == 2);
      assertThat(readCommitted(restarted, 0)).isEmpty();
    }
  }

  @Test
  void aTransactionLeftOpenByACrashIsAbortedAtTheRestartWithoutWaitingForItsTimeout()
      throws Exception {
    brokerStoppedWithATransactionOpen(60_000);
    // without the mark a clean stop leaves, the restart is that of a broker that crashed: records
    // its producer was told were written may be gone, so the transaction must not stay open
    assertThat(Files.deleteIfExists(dir.resolve("transactions").resolve("clean-shutdown")))
        .as("a clean stop is marked")
        .isTrue();
    try (RunningCoordinator restarted = RunningCoordinator.start(dir, settings());
        Admin admin = Clients.admin(restarted.bootstrapServers())) {
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> offset(admin, tp, IsolationLevel.READ_COMMITTED) == 2);
      assertThat(readCommitted(restarted, 0)).isEmpty();
    }
  }

  static KafkaProducer<String, String> producer(
      RunningCoordinator broker, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(overrides);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "recovering");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    return Clients.producer(broker.bootstrapServers(), config);
  }

  static long offset(Admin admin, TopicPartition tp, IsolationLevel isolation) throws Exception {
    return admin
        .listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
        .partitionResult(tp)
        .get()
        .offset();
  }

  static List<String> readCommitted(RunningCoordinator broker, int expected) {
    return Clients.readValues(
        broker.bootstrapServers(), TOPIC, "read_committed", expected, Duration.ofSeconds(10));
  }

  /**
   * A broker that was stopped (cleanly) while a producer had a transaction open over every
   * partition of {@link #TOPIC}, the producer gone without ending it, its data in the test's
   * directory.
   */
  private void brokerStoppedWithATransactionOpen(int transactionTimeoutMs) throws Exception {
    try (RunningCoordinator broker = RunningCoordinator.start(dir, settings());
        Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
      KafkaProducer<String, String> producer =
          producer(broker, Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMs));
      producer.initTransactions();
      producer.beginTransaction();
      for (int p = 0; p < PARTITIONS; p++) {
        producer.send(new ProducerRecord<>(TOPIC, p, "k", "open-" + p));
      }
      producer.flush();
      producer.close(Duration.ZERO);
    }
  }
}
