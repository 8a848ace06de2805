package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Projections;
import io.groupwarden.sink.kafka.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The worker in this JVM against a real Kafka broker and a MongoDB wire server. */
class SinkWorkerTest extends KafkaAndMongoTest {
  private static Map<String, String> environment(String name, String... overrides) {
    return WorkerRunner.environment(
        broker.bootstrapServers(),
        name,
        name + "-group",
        name + "-0",
        mongo.uri(),
        name,
        overrides);
  }

  /**
   * With MongoDB stopped, produces messages 500 to 999 of a two-partition topic and waits until the
   * worker has counted {@code errors} processing errors of {@code reason}; runs {@code whileDown},
   * then starts MongoDB again.
   */
  private static void produceDuringAMongoOutage(
      WorkerRunner worker, String topic, String reason, int errors, Runnable whileDown) {
    mongo.stop();
    try {
      kafka.produce(topic, 2, numbered(500, 1_000));
      await()
          .atMost(LONG)
          .until(
              () ->
                  worker.metric("consumer_processing_errors_total", "reason=\"" + reason + "\"")
                      >= errors);
      whileDown.run();
    } finally {
      mongo.restart();
    }
  }

  private static void awaitAllCommitted(String topic) {
    await()
        .atMost(LONG)
        .until(() -> kafka.committed(topic + "-group").equals(kafka.endOffsets(topic)));
  }

  @Test
  void fiftyThousandMessagesBecomeFiftyThousandDocuments() {
    String topic = "fifty-thousand";
    kafka.createTopic(topic, 3);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      // Half carry their own id, half are stored under their coordinates.
      values.add(
          i % 2 == 0
              ? "{\"message_id\":\"m-" + i + "\",\"n\":" + i + "}"
              : "{\"n\":" + i + ",\"created_at\":\"2026-01-01T00:00:00Z\"}");
    }
    kafka.produce(topic, 3, values);

    try (WorkerRunner worker = WorkerRunner.start(environment(topic))) {
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 50_000);
      awaitAllCommitted(topic);

      assertThat(worker.metric("consumer_messages_processed_total", "outcome=\"stored\""))
          .isEqualTo(50_000);
      // A backlog is written in full batches (default size 100), not in whatever a poll that did
      // not wait happened to find.
      double batches = worker.metric("consumer_batch_size_count", "");
      assertThat(batches).isPositive();
      assertThat(worker.metric("consumer_batch_size_sum", "") / batches).isGreaterThan(95);
    }
    Set<Integer> numbers = new HashSet<>();
    collection(topic)
        .find()
        .projection(Projections.include("n"))
        .forEach(document -> numbers.add(document.getInteger("n")));
    assertThat(numbers).hasSize(50_000);
    assertThat(collection(topic).find(new Document("_id", "m-4")).first())
        .containsEntry("n", 4)
        .containsKey("received_at");
    assertThat(collection(topic).find(new Document("_id", topic + ":1:0")).first())
        .containsEntry("n", 1);
    assertThat(kafka.size(topic + ".dlq")).isZero();
  }

  @Test
  void aSteadyTrickleIsWrittenInBatchesNotMessageByMessage() throws Exception {
    String topic = "trickle";
    kafka.createTopic(topic, 1);
    int total = 2_000;
    AtomicInteger sent = new AtomicInteger();
    ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    // A linger far longer than a batch takes to fill: whatever the pace here, a batch ends full.
    try (WorkerRunner worker = WorkerRunner.start(environment(topic, "SINK_BATCH_LINGER", "2s"))) {
      // Up to a message a millisecond: most polls made while a write is on its way find nothing
      // new yet, which must not cut the batch short.
      producer.scheduleAtFixedRate(
          () -> {
            for (int k = 0; k < 5 && sent.get() < total; k++) {
              int i = sent.getAndIncrement();
              kafka.produce(
                  new ProducerRecord<>(
                      topic, 0, null, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
            }
          },
          0,
          5,
          TimeUnit.MILLISECONDS);
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == total);
      // a batch is counted once its write is acknowledged, a moment after its documents are stored
      await()
          .atMost(LONG)
          .untilAsserted(
              () -> assertThat(worker.metric("consumer_batch_size_sum", "")).isEqualTo(total));

      double batches = worker.metric("consumer_batch_size_count", "");
      assertThat(total / batches).isGreaterThan(60);
    } finally {
      producer.shutdownNow();
    }
  }

  @Test
  void poisonMessagesGoToTheDeadLetterTopicWithTheirOriginAndTheRestIsStored() {
    String topic = "poison";
    kafka.createTopic(topic, 2);
    List<String> values = new ArrayList<>();
    Map<Integer, String> poison = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      if (i % 100 == 7) {
        values.add("{\"message_id\":\"p-" + i + "\",");
        poison.put(i, "INVALID_JSON");
      } else if (i % 100 == 42) {
        values.add("[\"not\",\"an\",\"object\"]");
        poison.put(i, "NOT_A_JSON_OBJECT");
      } else if (i == 500) {
        values.add(null);
        poison.put(i, "NULL_VALUE");
      } else {
        values.add("{\"message_id\":\"ok-" + i + "\"}");
      }
    }
    kafka.produce(topic, 2, values);

    try (WorkerRunner worker = WorkerRunner.start(environment(topic))) {
      List<ConsumerRecord<byte[], byte[]>> deadLetters =
          kafka.readAll(topic + ".dlq", poison.size(), LONG);
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 1_000 - poison.size());
      awaitAllCommitted(topic);

      // value i went to partition i % 2 at offset i / 2
      Map<String, String> expected = new HashMap<>();
      poison.forEach((i, reason) -> expected.put(topic + "/" + (i % 2) + "/" + (i / 2), reason));
      Map<String, String> actual = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> letter : deadLetters) {
        Map<String, String> headers = headers(letter);
        actual.put(
            headers.get(DeadLetter.ORIGINAL_TOPIC)
                + "/"
                + headers.get(DeadLetter.ORIGINAL_PARTITION)
                + "/"
                + headers.get(DeadLetter.ORIGINAL_OFFSET),
            headers.get(DeadLetter.REASON));
        assertThat(headers.get(DeadLetter.ERROR)).isNotBlank();
        assertThat(headers).containsEntry(DeadLetter.WORKER, topic + "-0");
      }
      assertThat(actual).isEqualTo(expected);
      ConsumerRecord<byte[], byte[]> invalid =
          deadLetters.stream()
              .filter(r -> headers(r).get(DeadLetter.REASON).equals("INVALID_JSON"))
              .findFirst()
              .orElseThrow();
      assertThat(new String(invalid.value(), StandardCharsets.UTF_8)).startsWith("{\"message_id\"");
      assertThat(worker.metric("consumer_processing_errors_total", "reason=\"INVALID_JSON\""))
          .isEqualTo(10);
      assertThat(worker.metric("consumer_messages_processed_total", "outcome=\"dead_lettered\""))
          .isEqualTo(poison.size());
    }
    assertThat(collection(topic).countDocuments(new Document("_id", "ok-8"))).isEqualTo(1);
  }

  @Test
  void aRedeliveredMessageMakesNoSecondDocument() throws Exception {
    String topic = "redelivery";
    kafka.createTopic(topic, 2);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      values.add(i % 3 == 0 ? "{\"n\":" + i + "}" : "{\"message_id\":\"r-" + i + "\"}");
    }
    // The producer sent message r-1 twice (a retried send): same message_id, another offset.
    values.add("{\"message_id\":\"r-1\"}");
    kafka.produce(topic, 2, values);
    // This worker leaves the group on stop, so the offsets can be rewound afterwards.
    Map<String, String> env = environment(topic, "SINK_LEAVE_GROUP_ON_SHUTDOWN", "true");

    try (WorkerRunner first = WorkerRunner.start(env)) {
      awaitAllCommitted(topic);
      assertThat(first.metric("consumer_messages_processed_total", "outcome=\"duplicate\""))
          .isEqualTo(1);
    }
    assertThat(collection(topic).countDocuments()).isEqualTo(300);

    // Everything is delivered again from the start, as after a crash before a commit.
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> rewind =
        new HashMap<>();
    kafka
        .endOffsets(topic)
        .keySet()
        .forEach(tp -> rewind.put(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
    kafka.admin().alterConsumerGroupOffsets(topic + "-group", rewind).all().get();

    try (WorkerRunner second = WorkerRunner.start(env)) {
      await()
          .atMost(LONG)
          .until(
              () ->
                  second.metric("consumer_messages_processed_total", "outcome=\"duplicate\"")
                      == 301);
      awaitAllCommitted(topic);
      assertThat(second.metric("consumer_messages_processed_total", "outcome=\"stored\"")).isZero();
    }
    assertThat(collection(topic).countDocuments()).isEqualTo(300);
  }

  @Test
  void aMongoOutageIsWaitedOutInPauseModeAndNothingIsLost() {
    String topic = "outage-pause";
    kafka.createTopic(topic, 2);
    Map<String, String> env =
        environment(topic, "SINK_ON_STORE_OUTAGE", "pause", "SINK_BATCH_SIZE", "50");

    try (WorkerRunner worker = WorkerRunner.start(env)) {
      kafka.produce(topic, 2, numbered(0, 500));
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 500);
      awaitAllCommitted(topic);
      Map<TopicPartition, Long> committedBefore = kafka.committed(topic + "-group");

      // More attempts than maxRetries fail: pause mode keeps trying and keeps the batch.
      produceDuringAMongoOutage(
          worker,
          topic,
          "write_unavailable",
          7,
          () -> {
            assertThat(worker.worker().readiness().up()).isFalse();
            assertThat(kafka.committed(topic + "-group")).isEqualTo(committedBefore);
          });

      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 1_000);
      awaitAllCommitted(topic);
      await().atMost(LONG).until(() -> worker.worker().readiness().up());
    }
    assertThat(kafka.size(topic + ".dlq")).isZero();
  }

  @Test
  void aMongoOutageInDeadLetterModeDeadLettersBatchesAndNothingIsLost() {
    String topic = "outage-dead-letter";
    kafka.createTopic(topic, 2);
    Map<String, String> env =
        environment(
            topic,
            "SINK_ON_STORE_OUTAGE",
            "dead-letter",
            "SINK_BATCH_SIZE",
            "50",
            "SINK_MAX_RETRIES",
            "2");

    try (WorkerRunner worker = WorkerRunner.start(env)) {
      kafka.produce(topic, 2, numbered(0, 500));
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 500);

      produceDuringAMongoOutage(worker, topic, "STORE_UNAVAILABLE", 50, () -> {});
      awaitAllCommitted(topic);

      long deadLettered = kafka.size(topic + ".dlq");
      List<ConsumerRecord<byte[], byte[]>> letters =
          kafka.readAll(topic + ".dlq", (int) deadLettered, LONG);
      Set<Integer> inDeadLetters = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        assertThat(headers(letter)).containsEntry(DeadLetter.REASON, "STORE_UNAVAILABLE");
        inDeadLetters.add(number(new String(letter.value(), StandardCharsets.UTF_8)));
      }
      Set<Integer> stored = new HashSet<>();
      collection(topic).find().forEach(document -> stored.add(document.getInteger("n")));

      // Every message is in exactly one place.
      assertThat(inDeadLetters).hasSize(letters.size()).isNotEmpty();
      assertThat(stored).doesNotContainAnyElementsOf(inDeadLetters);
      Set<Integer> all = new HashSet<>(stored);
      all.addAll(inDeadLetters);
      assertThat(all).isEqualTo(range(0, 1_000));
      assertThat(stored.size() + letters.size()).isEqualTo(1_000);
    }
  }

  static List<String> numbered(int from, int to) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < to; i++) {
      values.add("{\"message_id\":\"n-" + i + "\",\"n\":" + i + "}");
    }
    return values;
  }

  private static int number(String value) {
    return Document.parse(value).getInteger("n");
  }

  private static Set<Integer> range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).boxed().collect(Collectors.toSet());
  }

  static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
