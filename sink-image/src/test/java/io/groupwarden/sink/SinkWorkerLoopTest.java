package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.config.SinkEnvironments;
import io.groupwarden.sink.fakes.DirectExecutor;
import io.groupwarden.sink.fakes.FakeDocumentStore;
import io.groupwarden.sink.fakes.MutableClock;
import io.groupwarden.sink.fakes.RecordingConsumer;
import io.groupwarden.sink.kafka.DeadLetter;
import io.groupwarden.sink.metrics.SinkMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The worker's loop with kafka-clients' MockConsumer and MockProducer, an in-memory store, a clock
 * the test moves and inserts run on the loop's thread: batching, commits, pause on a store outage,
 * dead letters and rebalances, one step at a time.
 */
class SinkWorkerLoopTest {
  private static final String TOPIC = "orders";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingConsumer consumer = new RecordingConsumer();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final FakeDocumentStore store = new FakeDocumentStore();
  private SinkWorker worker;

  private SinkWorker worker(String... overrides) throws InterruptedException {
    Map<String, String> env =
        SinkEnvironments.firstWorker("127.0.0.1:9", "mongodb://127.0.0.1:9/shop", 100);
    SinkEnvironments.with(env, overrides);
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    worker =
        new SinkWorker(
            SinkConfig.fromEnvironment(env),
            consumer,
            producer,
            store,
            new SinkMetrics(),
            clock,
            new DirectExecutor());
    worker.start();
    return worker;
  }

  /** A worker assigned partition 0 with {@code messages} messages waiting there. */
  private void workerOnP0(int messages, String... overrides) throws InterruptedException {
    worker(overrides);
    consumer.rebalance(List.of(P0));
    produce(P0, 0, messages);
  }

  private void steps(int count) {
    for (int i = 0; i < count; i++) {
      worker.step();
    }
  }

  private void produce(TopicPartition partition, long from, int count) {
    for (long offset = from; offset < from + count; offset++) {
      produce(partition, offset, "{\"n\":" + offset + ",\"p\":" + partition.partition() + "}");
    }
  }

  private void produce(TopicPartition partition, long offset, String value) {
    consumer.addRecord(
        new ConsumerRecord<>(
            TOPIC,
            partition.partition(),
            offset,
            null,
            value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
  }

  private Map<TopicPartition, Long> committed() {
    return consumer.committedOffsets();
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void writesFullBatchesThenThePartialOneWhenTheStreamGoesQuietAndCommitsThem() throws Exception {
    workerOnP0(250, "SINK_COMMIT_EVERY", "1000");

    steps(2);
    // two full batches are written; the rest waits for more messages or a quiet poll
    assertThat(store.insertSizes()).containsExactly(100, 100);
    assertThat(committed()).as("200 < SINK_COMMIT_EVERY and the stream is not idle").isEmpty();

    steps(2); // the poll in between found nothing: the partial batch goes, then the commit
    assertThat(store.insertSizes()).containsExactly(100, 100, 50);
    assertThat(store.documents()).hasSize(250);
    assertThat(committed()).containsEntry(P0, 250L);
    assertThat(worker.readiness().up()).isTrue();
  }

  @Test
  void commitsEveryCommitEveryMessagesWhileTheStreamKeepsComing() throws Exception {
    workerOnP0(250, "SINK_COMMIT_EVERY", "200");
    steps(2); // 200 stored, 50 wait for more: the stream is not idle
    assertThat(committed()).containsEntry(P0, 200L);
    assertThat(consumer.commits())
        .extracting(RecordingConsumer.Commit::sync)
        .containsExactly(false);
  }

  @Test
  void pausesItsPartitionsWhileTheStoreIsDownAndStoresEverythingOnceWhenItIsBack()
      throws Exception {
    worker();
    consumer.rebalance(List.of(P0, P1));
    store.down();
    produce(P0, 0, 80);
    produce(P1, 0, 80);

    steps(3);
    assertThat(consumer.paused()).as("no more messages while the batch waits").contains(P0, P1);
    assertThat(worker.readiness().mongodb()).isEqualTo("DOWN");
    assertThat(worker.readiness().up()).isFalse();
    produce(P0, 80, 40); // held back by the pause
    int attempts = store.insertSizes().size();
    steps(5);
    assertThat(store.insertSizes()).as("no retry before the backoff is over").hasSize(attempts);
    assertThat(committed()).isEmpty();

    store.up();
    for (int i = 0; i < 10 && committed().getOrDefault(P0, 0L) < 120; i++) {
      clock.advance(Duration.ofSeconds(1));
      steps(3);
    }
    assertThat(consumer.paused()).isEmpty();
    assertThat(store.documents()).hasSize(200);
    assertThat(committed()).containsEntry(P0, 120L).containsEntry(P1, 80L);
    assertThat(producer.history()).isEmpty();
    assertThat(worker.readiness().up()).isTrue();
  }

  @Test
  void withDeadLetterOnOutageTheBatchGoesToTheDeadLetterTopicAfterTheRetries() throws Exception {
    worker("SINK_ON_STORE_OUTAGE", "dead-letter", "SINK_MAX_RETRIES", "1");
    consumer.rebalance(List.of(P0));
    store.down();
    produce(P0, 0, 10);
    steps(3);
    clock.advance(Duration.ofSeconds(1));
    steps(3);

    assertThat(producer.history()).hasSize(10);
    assertThat(header(producer.history().get(0), DeadLetter.REASON)).isEqualTo("STORE_UNAVAILABLE");
    assertThat(committed()).containsEntry(P0, 10L);
  }

  @Test
  void badValuesGoToTheDeadLetterTopicAtOnceAndTheirOffsetsAreCommitted() throws Exception {
    worker();
    consumer.rebalance(List.of(P0));
    produce(P0, 0, "{\"n\":0}");
    produce(P0, 1, "not json");
    produce(P0, 2, null);
    produce(P0, 3, "[1,2]");
    produce(P0, 4, "{\"n\":4}");
    steps(4);

    assertThat(store.documents())
        .containsOnlyKeys(new BsonString("orders:0:0"), new BsonString("orders:0:4"));
    assertThat(producer.history())
        .extracting(record -> header(record, DeadLetter.REASON))
        .containsExactly("INVALID_JSON", "NULL_VALUE", "NOT_A_JSON_OBJECT");
    assertThat(producer.history())
        .extracting(record -> header(record, DeadLetter.ORIGINAL_OFFSET))
        .containsExactly("1", "2", "3");
    assertThat(producer.history()).allMatch(record -> record.topic().equals("orders.dlq"));
    assertThat(committed()).containsEntry(P0, 5L);
  }

  @Test
  void aRevokedPartitionCommitsWhatIsStoredAndDropsWhatIsNot() throws Exception {
    worker("SINK_COMMIT_EVERY", "1000");
    consumer.rebalance(List.of(P0, P1));
    produce(P0, 0, 150);
    steps(2); // 100 stored, 50 read ahead
    assertThat(committed()).isEmpty();

    consumer.rebalance(List.of(P1));

    assertThat(consumer.commits())
        .as("committed before the partition moves, synchronously")
        .containsExactly(new RecordingConsumer.Commit(true, Map.of(P0, 100L)));
    assertThat(worker.assignment()).containsExactly(P1);
    produce(P1, 0, 10);
    steps(4);
    assertThat(store.documents()).hasSize(110);
    assertThat(store.documents().keySet())
        .as("the read-ahead of the revoked partition is left to its new owner")
        .doesNotContain(new BsonString("orders:0:100"));
    assertThat(committed()).containsEntry(P0, 100L).containsEntry(P1, 10L);
  }

  @Test
  void aLostPartitionIsNotCommitted() throws Exception {
    workerOnP0(150, "SINK_COMMIT_EVERY", "1000");
    steps(2);

    consumer.losePartitions(List.of(P0));

    assertThat(committed()).isEmpty();
    assertThat(worker.assignment()).isEmpty();
    assertThat(worker.rebalanceCallbacks()).isEqualTo(2);
  }

  @Test
  void finishingStoresWhatIsReadAndCommitsIt() throws Exception {
    workerOnP0(130);
    steps(1); // read, nothing written yet

    worker.finish();

    assertThat(store.documents()).hasSize(130);
    assertThat(committed()).containsEntry(P0, 130L);
  }

  @Test
  void finishingAbandonsABatchThatWaitsForARetry() throws Exception {
    worker();
    consumer.rebalance(List.of(P0));
    store.down();
    produce(P0, 0, 30);
    steps(3);

    worker.finish();

    assertThat(store.documents()).isEmpty();
    assertThat(committed()).as("read again after the restart").isEmpty();
  }

  @Test
  void startWaitsForTheStoreToCreateTheIndexes() throws Exception {
    store.down();
    Thread up =
        new Thread(
            () -> {
              while (store.indexCalls() < 2) {
                Thread.onSpinWait();
              }
              store.up();
            });
    up.start();
    Map<String, String> overrides = Map.of("SINK_RETRY_BACKOFF", "10ms");
    worker(overrides.keySet().iterator().next(), overrides.values().iterator().next());
    up.join();
    assertThat(store.indexCalls()).isGreaterThanOrEqualTo(3);
    assertThat(consumer.subscription()).containsExactly(TOPIC);
  }

  @Test
  void readinessWaitsForTheGroupAndLivenessReportsAFailure() throws Exception {
    worker();
    assertThat(worker.readiness().kafka()).isEqualTo("DOWN");
    consumer.rebalance(List.of());
    assertThat(worker.readiness().up()).as("in the group, even without partitions").isTrue();

    consumer.setPollException(new org.apache.kafka.common.errors.AuthorizationException("no"));
    Thread thread = new Thread(worker);
    thread.start();
    thread.join(10_000);

    assertThat(worker.failure()).isInstanceOf(org.apache.kafka.common.KafkaException.class);
    assertThat(worker.liveness().up()).isFalse();
    assertThat(worker.liveness().worker()).isEqualTo("failed");
    assertThat(consumer.closed()).isTrue();
    assertThat(store.closed()).isTrue();
    assertThat(committed()).isEmpty();
  }

  @Test
  void withKafkaSilentItTurnsNotReadyAndGivesUpAfterTheOutageLimit() throws Exception {
    workerOnP0(10, "SINK_KAFKA_OUTAGE_LIMIT", "30s");
    steps(3);
    assertThat(worker.readiness().up()).isTrue();

    consumer.unreachable(true);
    clock.advance(Duration.ofSeconds(6));
    steps(1);
    assertThat(worker.readiness())
        .extracting(r -> r.status(), r -> r.kafka())
        .containsExactly("DOWN", "DOWN");
    assertThat(worker.liveness().up()).as("the loop still runs").isTrue();

    clock.advance(Duration.ofSeconds(23)); // 29 s since the last answer
    steps(1);
    clock.advance(Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> steps(1))
        .isInstanceOf(io.groupwarden.sink.kafka.KafkaUnreachableException.class);
  }

  @Test
  void aShortKafkaOutageEndsWithReadinessBackAndNothingLostOrDoubled() throws Exception {
    workerOnP0(50, "SINK_KAFKA_OUTAGE_LIMIT", "30s");
    consumer.unreachable(true);
    steps(3); // stored, but the commit is not taken
    clock.advance(Duration.ofSeconds(6));
    steps(1);
    assertThat(worker.readiness().kafka()).isEqualTo("DOWN");
    assertThat(committed()).isEmpty();

    consumer.unreachable(false);
    clock.advance(Duration.ofSeconds(6));
    produce(P0, 50, 50);
    steps(4);

    assertThat(worker.readiness().up()).isTrue();
    assertThat(store.documents()).hasSize(100);
    assertThat(committed()).containsEntry(P0, 100L);
  }
}
