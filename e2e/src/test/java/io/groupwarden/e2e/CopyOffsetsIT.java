package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar operator.jar copy-offsets} moves a consumer group from the coordinator broker
 * (its jar, as a child process) to Apache Kafka 4.4 mid-stream: the consumers stop, the topic's
 * records are copied record for record, the offsets are copied, and consumers on Kafka continue
 * exactly after the last commit: nothing lost, nothing processed twice.
 */
class CopyOffsetsIT {
  private static final Path ROOT = OperatorHarness.repositoryRoot();
  private static final int PARTITIONS = 3;

  @TempDir static Path dir;
  private static Process coordinator;
  private static String source;
  private static String target;
  private static KafkaTestClients from;
  private static KafkaTestClients to;

  @BeforeAll
  static void startBothClusters() throws Exception {
    int port = FreePort.pick();
    Path data = Files.createDirectories(dir.resolve("coordinator"));
    coordinator =
        CoordinatorJar.startLocal(
            port,
            data,
            dir.resolve("coordinator.log"),
            Map.of(),
            List.of("-Xmx384m"),
            "--advertised-host",
            "127.0.0.1",
            "--group-initial-rebalance-delay",
            "0s");
    source = "127.0.0.1:" + port;
    target = KafkaBroker.shared().bootstrapServers();
    from = new KafkaTestClients(source);
    to = new KafkaTestClients(target);
  }

  @AfterAll
  static void stopCoordinator() {
    from.close();
    to.close();
    ChildProcesses.stop(coordinator, Duration.ofSeconds(20));
  }

  /** Creates {@code topic} on the coordinator and on Kafka alike. */
  private static void createOnBoth(String topic, int partitions) {
    from.createTopic(topic, partitions);
    to.createTopic(topic, partitions);
  }

  @Test
  void aGroupMovedMidStreamContinuesAfterItsLastCommitOnKafka() throws Exception {
    String topic = "moving-orders";
    String group = "movers";
    createOnBoth(topic, PARTITIONS);
    produce(source, topic, 0, 300);

    // the group processes part of the stream on the coordinator, committing after each poll
    Set<String> beforeMove = new HashSet<>();
    try (KafkaConsumer<String, String> consumer =
        from.consumer(group, null, Map.of("max.poll.records", 40))) {
      consumer.subscribe(List.of(topic));
      while (beforeMove.size() < 150) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          assertThat(beforeMove.add(record.value())).isTrue();
        }
        consumer.commitSync();
      }
    }
    assertThat(beforeMove.size()).isLessThan(300);

    copyRecords(from, topic, target);
    ChildProcesses.Result copied = copyOffsets("--group", group);

    assertThat(copied.exitCode()).as(copied.output()).isZero();
    assertThat(copied.output())
        .contains("group " + group + ": copied " + PARTITIONS + " partitions from " + source)
        .contains(topic + "-0 -> ");
    Map<TopicPartition, Long> committedOnSource = committed(from, group);
    assertThat(committed(to, group)).isEqualTo(committedOnSource);

    // the stream goes on on Kafka; consumers there start where the group stopped
    produce(target, topic, 300, 100);
    Set<String> afterMove = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = to.consumer(group, null)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (beforeMove.contains(record.value()) || !afterMove.add(record.value())) {
                    duplicates.add(record.value());
                  }
                }
                return beforeMove.size() + afterMove.size() >= 400;
              });
    }
    assertThat(duplicates).as("processed twice").isEmpty();
    Set<String> all = new HashSet<>(beforeMove);
    all.addAll(afterMove);
    assertThat(all).hasSize(400);
  }

  @Test
  void aGroupWithActiveMembersOnTheTargetIsRefusedAndNothingIsWritten() throws Exception {
    String topic = "busy-orders";
    String group = "busy";
    createOnBoth(topic, 1);
    produce(source, topic, 1, 0, 10);
    produce(target, topic, 1, 0, 10);
    from.commit(group, topic, 7);
    try (KafkaConsumer<String, String> member = to.consumer(group, null)) {
      member.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
              });
      member.commitSync(
          Map.of(
              new TopicPartition(topic, 0),
              new org.apache.kafka.clients.consumer.OffsetAndMetadata(2)));

      ChildProcesses.Result refused = copyOffsets("--group", group);

      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.output())
          .contains("group busy: refused, nothing written: 1 active member(s) on the target");
      assertThat(committed(to, group)).containsEntry(new TopicPartition(topic, 0), 2L);
    }
  }

  @Test
  void badArgumentsAreNamedAndExitWithTwo() throws Exception {
    ChildProcesses.Result result = run(List.of("copy-offsets", "--from", source, "--group", "g"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("--from, --to and at least one --group are required");
  }

  private static ChildProcesses.Result copyOffsets(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("copy-offsets", "--from", source, "--to", target));
    command.addAll(List.of(args));
    return run(command);
  }

  /** The shipped jar, as a user runs it. */
  private static ChildProcesses.Result run(List<String> args) throws Exception {
    List<String> command =
        ChildProcesses.javaJarCommand(
            List.of(), ROOT.resolve("operator/target/operator.jar"), args);
    Path log = Files.createTempFile(dir, "copy-offsets", ".log");
    return ChildProcesses.run("operator.jar " + args.get(0), command, log, Duration.ofSeconds(90));
  }

  private static void produce(String bootstrap, String topic, int first, int count)
      throws Exception {
    produce(bootstrap, topic, PARTITIONS, first, count);
  }

  private static void produce(String bootstrap, String topic, int partitions, int first, int count)
      throws Exception {
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      for (int i = first; i < first + count; i++) {
        producer.send(new ProducerRecord<>(topic, i % partitions, "k" + i, "m-" + i));
      }
      producer.flush();
    }
  }

  /**
   * Copies every record of the topic to the same partition on the target, in order, checking that
   * each lands at the offset it had: the precondition of copying offsets unchanged.
   */
  private static void copyRecords(KafkaTestClients from, String topic, String target)
      throws Exception {
    Map<TopicPartition, Long> ends = from.logEnds(topic, PARTITIONS);
    try (KafkaConsumer<String, String> reader = from.consumer("copy-reader-unused", null);
        KafkaProducer<String, String> writer = producer(target)) {
      reader.assign(ends.keySet());
      reader.seekToBeginning(ends.keySet());
      Map<TopicPartition, Long> copied = new HashMap<>();
      while (!copied.equals(ends)) {
        for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
          RecordMetadata written =
              writer
                  .send(
                      new ProducerRecord<>(topic, record.partition(), record.key(), record.value()))
                  .get();
          assertThat(written.offset()).isEqualTo(record.offset());
          copied.put(new TopicPartition(topic, record.partition()), record.offset() + 1);
        }
      }
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props);
  }

  private static Map<TopicPartition, Long> committed(KafkaTestClients clients, String group)
      throws Exception {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    clients
        .admin()
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get()
        .forEach((tp, offset) -> offsets.put(tp, offset.offset()));
    return offsets;
  }
}
