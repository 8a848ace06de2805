package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker as its own process while its Kafka broker goes away: a broker of this class's own (the
 * shared one must stay up for the other tests), stopped and started again on the same port and data
 * directory.
 */
class SinkKafkaOutageTest {
  private static final Duration LONG = Duration.ofMinutes(2);
  private static KafkaBroker broker;
  private static MongoWireServer mongo;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() {
    broker = KafkaBroker.builder().build().start();
    mongo = MongoWireServer.start();
  }

  @AfterAll
  static void stop() {
    mongo.close();
    broker.close();
  }

  @AfterEach
  void stopWorkers() throws InterruptedException {
    for (Process worker : workers) {
      worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    broker.start(); // for the next test, if this one left it stopped
  }

  private Process worker(String topic, int metricsPort, Path log, String outageLimit) {
    Process process =
        WorkerProcess.start(
            broker.bootstrapServers(),
            mongo,
            topic,
            metricsPort,
            log,
            "SINK_KAFKA_OUTAGE_LIMIT",
            outageLimit);
    workers.add(process);
    return process;
  }

  private static void createWithMessages(String topic, int partitions, int messages) {
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers())) {
      kafka.createTopic(topic, partitions);
      kafka.produce(topic, partitions, KafkaFixture.numberedMessages(0, messages));
    }
  }

  @Test
  void aShortOutageLosesNothingAndDuplicatesNothing() throws Exception {
    String topic = "short-outage";
    int port = FreePort.pick();
    createWithMessages(topic, 3, 30_000);
    Process worker = worker(topic, port, Files.createTempFile("sink-short-outage", ".log"), "2m");
    await().atMost(LONG).until(() -> WorkerProcess.status(port, "/health/ready") == 200);
    await().atMost(LONG).until(() -> mongo.collection(topic).countDocuments() >= 3_000);

    broker.stop(); // while the worker may still be writing what it has read

    await().atMost(LONG).until(() -> WorkerProcess.status(port, "/health/ready") == 503);
    assertThat(worker.isAlive()).isTrue();
    broker.start();
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers())) {
      kafka.produce(topic, 3, KafkaFixture.numberedMessages(30_000, 5_000));
      await().atMost(LONG).until(() -> mongo.collection(topic).countDocuments() == 35_000);
      await()
          .atMost(LONG)
          .until(() -> kafka.committed(topic + "-group").equals(kafka.endOffsets(topic)));
      await().atMost(LONG).until(() -> WorkerProcess.status(port, "/health/ready") == 200);
      assertThat(kafka.size(topic + ".dlq")).isZero();
    }
    assertThat(worker.isAlive()).isTrue();
    // one document per message: 35,000 documents with 35,000 distinct values of n
    assertThat(mongo.collection(topic).countDocuments()).isEqualTo(35_000);
    assertThat(mongo.collection(topic).distinct("n", Integer.class).into(new ArrayList<>()))
        .hasSize(35_000);
  }

  @Test
  void anOutageLongerThanTheLimitEndsTheProcessWithExitCode3() throws Exception {
    String topic = "long-outage";
    int port = FreePort.pick();
    createWithMessages(topic, 1, 100);
    Path log = Files.createTempFile("sink-long-outage", ".log");
    Process worker = worker(topic, port, log, "15s");
    await().atMost(LONG).until(() -> mongo.collection(topic).countDocuments() == 100);
    await().atMost(LONG).until(() -> WorkerProcess.status(port, "/health/ready") == 200);

    broker.stop();
    long stoppedAt = System.nanoTime();

    await()
        .atMost(LONG)
        .until(() -> WorkerProcess.status(port, "/health/ready") == 503 || !worker.isAlive());
    assertThat(worker.isAlive()).as("not ready, but not gone before the limit").isTrue();
    // the limit, plus one probe, plus closing the clients against an absent broker
    assertThat(worker.waitFor(15 + 30, TimeUnit.SECONDS)).isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
    assertThat(worker.exitValue()).isEqualTo(SinkMain.EXIT_KAFKA_UNREACHABLE);
    assertThat(took).isGreaterThan(Duration.ofSeconds(9)); // 15 s minus the quiet time before
    assertThat(Files.readString(log)).contains("no answer from Kafka for");
  }
}
