package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import io.groupwarden.coordinator.support.TestClasspath;
import io.groupwarden.coordinator.support.WordCountAppMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams (kafka-streams 4.4) word count with exactly_once_v2, killed with SIGKILL mid-stream
 * and restarted: the counts it ends with are exact. On the way it creates its internal topics (a
 * repartition topic it purges with DeleteRecords, a compacted changelog the log cleaner compacts,
 * from which the restarted instance restores its store).
 */
class StreamsExactlyOnceTest {
  @TempDir Path dir;

  static final String INPUT = "wc-lines";
  static final String OUTPUT = "wc-counts";
  static final int LINES = 20_000;
  static final String REPARTITION = WordCountAppMain.APPLICATION_ID + "-by-word-repartition";
  static final String CHANGELOG = WordCountAppMain.APPLICATION_ID + "-word-counts-changelog";

  @Test
  void wordCountsAreExactAfterTheStreamsInstanceIsKilledAndRestarted() throws Exception {
    try (RunningCoordinator broker =
            RunningCoordinator.start(
                Map.of(
                    "log-segment-bytes", "65536",
                    "log-cleaner-backoff", "500ms",
                    "group-shards", "2"));
        Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin
          .createTopics(
              List.of(new NewTopic(INPUT, 3, (short) 1), new NewTopic(OUTPUT, 3, (short) 1)))
          .all()
          .get();
      Map<String, Long> expected = writeLines(broker.bootstrapServers());

      Process streams = startStreams(broker.bootstrapServers(), dir, 1);
      try {
        awaitConsumed(admin, LINES * 4 / 10);
        streams.destroyForcibly();
        streams.waitFor(10, TimeUnit.SECONDS);
        streams = startStreams(broker.bootstrapServers(), dir, 2);
        awaitConsumed(admin, LINES);
        await()
            .atMost(Duration.ofMinutes(2))
            .untilAsserted(() -> assertThat(lastCounts(broker)).isEqualTo(expected));
      } finally {
        streams.destroyForcibly();
        streams.waitFor(10, TimeUnit.SECONDS);
      }

      assertThat(
              admin
                  .describeConfigs(
                      List.of(new ConfigResource(ConfigResource.Type.TOPIC, CHANGELOG)))
                  .all()
                  .get()
                  .values()
                  .iterator()
                  .next())
          .extracting((Config c) -> c.get("cleanup.policy").value())
          .isEqualTo("compact");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(earliest(admin, new TopicPartition(REPARTITION, 0)))
                      .as("the repartition topic is purged with DeleteRecords")
                      .isPositive());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(compactedPartitions(broker))
                      .as("the log cleaner compacted the changelog")
                      .isPositive());
    }
  }

  /** Lines of words from a small vocabulary; returns how often each word occurs. */
  static Map<String, Long> writeLines(String bootstrap) {
    String[] vocabulary = new String[120];
    for (int i = 0; i < vocabulary.length; i++) {
      vocabulary[i] = "word" + i;
    }
    Random random = new Random(42);
    Map<String, Long> counts = new HashMap<>();
    try (KafkaProducer<String, String> producer = Clients.producer(bootstrap)) {
      for (int i = 0; i < LINES; i++) {
        StringBuilder line = new StringBuilder();
        for (int w = 0; w < 5; w++) {
          String word = vocabulary[random.nextInt(vocabulary.length)];
          counts.merge(word, 1L, Long::sum);
          line.append(w == 0 ? "" : " ").append(word.toUpperCase(java.util.Locale.ROOT));
        }
        producer.send(new ProducerRecord<>(INPUT, "line-" + i, line.toString()));
      }
      producer.flush();
    }
    return counts;
  }

  static Process startStreams(String bootstrap, Path dir, int run) {
    return TestClasspath.startMain(
        WordCountAppMain.class,
        "384m",
        dir.resolve("streams-" + run + ".log"),
        bootstrap,
        INPUT,
        OUTPUT,
        dir.resolve("state").toString());
  }

  /** Waits until the Streams application committed {@code lines} input offsets. */
  static void awaitConsumed(Admin admin, long lines) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              Map<TopicPartition, OffsetAndMetadata> offsets =
                  admin
                      .listConsumerGroupOffsets(WordCountAppMain.APPLICATION_ID)
                      .partitionsToOffsetAndMetadata()
                      .get();
              long consumed = 0;
              for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
                if (entry.getKey().topic().equals(INPUT)) {
                  consumed += entry.getValue().offset();
                }
              }
              return consumed >= lines;
            });
  }

  /** The last count of each word in the output, read read_committed. */
  static Map<String, Long> lastCounts(RunningCoordinator broker) {
    Map<String, Long> last = new HashMap<>();
    try (KafkaConsumer<String, Long> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new StringDeserializer(),
            new LongDeserializer())) {
      Clients.readToEnd(
          consumer,
          OUTPUT,
          3,
          Duration.ofMinutes(1),
          record -> last.put(record.key(), record.value()));
    }
    return last;
  }

  static long earliest(Admin admin, TopicPartition tp) throws Exception {
    return admin
        .listOffsets(
            Map.of(tp, OffsetSpec.earliest()),
            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
        .partitionResult(tp)
        .get()
        .offset();
  }

  /** Changelog partitions the log cleaner has compacted (it leaves its checkpoint there). */
  static long compactedPartitions(RunningCoordinator broker) {
    Topic changelog = broker.coordinator().topics().get(CHANGELOG);
    long compacted = 0;
    for (PartitionLog log : changelog.partitions()) {
      Path checkpoint =
          broker
              .dataDir()
              .resolve("topics")
              .resolve(CHANGELOG)
              .resolve(String.valueOf(log.partition().partition()))
              .resolve("cleaner-offset");
      if (Files.exists(checkpoint)) {
        compacted++;
      }
    }
    return compacted;
  }
}
