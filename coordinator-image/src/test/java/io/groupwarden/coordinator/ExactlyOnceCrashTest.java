package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import io.groupwarden.coordinator.support.TestClasspath;
import io.groupwarden.coordinator.support.TransformAppMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes: a transactional consume-transform-produce application copies 100,000
 * records while it is killed with SIGKILL twice (and restarted), and, separately, while the broker
 * is. Read with read_committed, the output holds every input record transformed exactly once.
 */
class ExactlyOnceCrashTest {
  @TempDir Path dir;

  static final int RECORDS = 100_000;
  static final int PARTITIONS = 3;
  static final String INPUT = "eos-input";
  static final String OUTPUT = "eos-output";
  static final String GROUP = "eos-app";

  /** The application as a supervisor runs it: restarted whenever it is not running. */
  static final class App implements AutoCloseable {
    private final String bootstrap;
    private final Path log;
    private Process process;
    int starts;

    App(String bootstrap, Path log) {
      this.bootstrap = bootstrap;
      this.log = log;
    }

    void start() {
      starts++;
      process =
          TestClasspath.startMain(
              TransformAppMain.class,
              "256m",
              log.resolveSibling(log.getFileName() + "." + starts),
              bootstrap,
              INPUT,
              OUTPUT,
              GROUP,
              "eos-transform");
    }

    /** Starts it again if it exited on its own (a fatal error while the broker was away). */
    void keepRunning() {
      if (!process.isAlive()) {
        start();
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      kill();
    }
  }

  @Test
  void theApplicationKilledTwiceStillCopiesEachRecordExactlyOnce() throws Exception {
    try (RunningCoordinator broker = RunningCoordinator.start(Map.of());
        Admin admin = Clients.admin(broker.bootstrapServers())) {
      App app =
          copyThroughTwoCrashes(
              admin,
              broker.bootstrapServers(),
              dir,
              running -> {
                running.kill();
                running.start();
              });
      assertThat(app.starts).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void theBrokerKilledTwiceLosesAndDuplicatesNothing() throws Exception {
    try (ChildBroker broker = new ChildBroker(dir.resolve("data")).start();
        Admin admin = tolerantAdmin(broker.bootstrapServers())) {
      copyThroughTwoCrashes(
          admin,
          broker.bootstrapServers(),
          dir,
          running -> {
            broker.kill();
            broker.start();
          });
    }
  }

  /** What a test kills (and starts again) while the application copies. */
  interface Crash {
    void crash(App app) throws Exception;
  }

  /**
   * Writes the input, runs the application until it copied all of it with {@code crash} at 30% and
   * 60% of the way, and asserts that every record came out exactly once. Returns the application.
   */
  static App copyThroughTwoCrashes(Admin admin, String bootstrap, Path dir, Crash crash)
      throws Exception {
    List<String> inputs = prepare(admin, bootstrap);
    App app = new App(bootstrap, dir.resolve("app.log"));
    try (app) {
      app.start();
      for (double share : new double[] {0.3, 0.6}) {
        awaitProgress(admin, (long) (RECORDS * share), app);
        crash.crash(app);
      }
      awaitProgress(admin, RECORDS, app);
    }
    assertExactlyOnce(bootstrap, inputs);
    return app;
  }

  static Admin tolerantAdmin(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
  }

  /** Creates the topics and writes the input; returns the input values. */
  static List<String> prepare(Admin admin, String bootstrap) throws Exception {
    admin
        .createTopics(
            List.of(
                new NewTopic(INPUT, PARTITIONS, (short) 1),
                new NewTopic(OUTPUT, PARTITIONS, (short) 1)))
        .all()
        .get();
    List<String> values = new ArrayList<>(RECORDS);
    try (KafkaProducer<String, String> producer =
        Clients.producer(bootstrap, Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024))) {
      for (int i = 0; i < RECORDS; i++) {
        String value = "record-" + i;
        values.add(value);
        producer.send(new ProducerRecord<>(INPUT, "key-" + (i % 997), value));
      }
      producer.flush();
    }
    return values;
  }

  /** Waits until the application committed at least {@code records} input offsets. */
  static void awaitProgress(Admin admin, long records, App app) {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              app.keepRunning();
              return committed(admin) >= records;
            });
  }

  static long committed(Admin admin) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    } catch (Exception e) {
      return -1; // the broker is restarting
    }
  }

  static void assertExactlyOnce(String bootstrap, List<String> inputs) {
    Map<String, Integer> seen = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(
            bootstrap,
            "eos-verifier",
            Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000))) {
      Clients.readToEnd(
          consumer,
          OUTPUT,
          PARTITIONS,
          Duration.ofMinutes(2),
          record -> seen.merge(record.value(), 1, Integer::sum));
    }
    Set<String> expected = new HashSet<>();
    inputs.forEach(value -> expected.add(TransformAppMain.transform(value)));
    assertThat(seen.keySet()).isEqualTo(expected);
    assertThat(seen.values()).as("no record twice").allMatch(count -> count == 1);
    assertThat(seen).hasSize(RECORDS);
  }
}
