package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
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
  private static MongoClient reader;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() {
    broker = KafkaBroker.builder().build().start();
    mongo = MongoWireServer.start();
    reader = mongo.client();
  }

  @AfterAll
  static void stop() {
    reader.close();
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

  private static MongoCollection<Document> collection(String name) {
    return reader.getDatabase("sinktest").getCollection(name);
  }

  private Process worker(String topic, int metricsPort, Path log, String outageLimit) {
    Map<String, String> env =
        WorkerRunner.environment(
            broker.bootstrapServers(),
            topic,
            topic + "-group",
            topic + "-worker-0",
            mongo.uri(),
            topic,
            "SINK_METRICS_PORT",
            String.valueOf(metricsPort),
            "SINK_BATCH_SIZE",
            "200",
            "SINK_KAFKA_OUTAGE_LIMIT",
            outageLimit);
    List<String> command =
        List.of(
            ChildProcesses.javaLauncher(),
            "-Xmx256m",
            "-cp",
            Path.of("target", "classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + runtimeClasspath(),
            "io.groupwarden.sink.SinkMain");
    Process process = ChildProcesses.start(command, log, env);
    workers.add(process);
    return process;
  }

  private static String runtimeClasspath() {
    try (InputStream in =
        SinkKafkaOutageTest.class.getResourceAsStream("worker-runtime.classpath")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> values(int from, int count) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      values.add(
          i % 2 == 0 ? "{\"message_id\":\"id-" + i + "\",\"n\":" + i + "}" : "{\"n\":" + i + "}");
    }
    return values;
  }

  private static int status(int port, String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Test
  void aShortOutageLosesNothingAndDuplicatesNothing() throws Exception {
    String topic = "short-outage";
    int port = FreePort.pick();
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers())) {
      kafka.createTopic(topic, 3);
      kafka.produce(topic, 3, values(0, 30_000));
    }
    Process worker = worker(topic, port, Files.createTempFile("sink-short-outage", ".log"), "2m");
    await().atMost(LONG).until(() -> status(port, "/health/ready") == 200);
    await().atMost(LONG).until(() -> collection(topic).countDocuments() >= 3_000);

    broker.stop(); // while the worker may still be writing what it has read

    await().atMost(LONG).until(() -> status(port, "/health/ready") == 503);
    assertThat(worker.isAlive()).isTrue();
    broker.start();
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers())) {
      kafka.produce(topic, 3, values(30_000, 5_000));
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 35_000);
      await()
          .atMost(LONG)
          .until(() -> kafka.committed(topic + "-group").equals(kafka.endOffsets(topic)));
      await().atMost(LONG).until(() -> status(port, "/health/ready") == 200);
      assertThat(kafka.size(topic + ".dlq")).isZero();
    }
    assertThat(worker.isAlive()).isTrue();
    // one document per message: 35,000 documents with 35,000 distinct values of n
    assertThat(collection(topic).countDocuments()).isEqualTo(35_000);
    assertThat(collection(topic).distinct("n", Integer.class).into(new ArrayList<>()))
        .hasSize(35_000);
  }

  @Test
  void anOutageLongerThanTheLimitEndsTheProcessWithExitCode3() throws Exception {
    String topic = "long-outage";
    int port = FreePort.pick();
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers())) {
      kafka.createTopic(topic, 1);
      kafka.produce(topic, 1, values(0, 100));
    }
    Path log = Files.createTempFile("sink-long-outage", ".log");
    Process worker = worker(topic, port, log, "15s");
    await().atMost(LONG).until(() -> collection(topic).countDocuments() == 100);
    await().atMost(LONG).until(() -> status(port, "/health/ready") == 200);

    broker.stop();
    long stoppedAt = System.nanoTime();

    await().atMost(LONG).until(() -> status(port, "/health/ready") == 503 || !worker.isAlive());
    assertThat(worker.isAlive()).as("not ready, but not gone before the limit").isTrue();
    // the limit, plus one probe, plus closing the clients against an absent broker
    assertThat(worker.waitFor(15 + 30, TimeUnit.SECONDS)).isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
    assertThat(worker.exitValue()).isEqualTo(SinkMain.EXIT_KAFKA_UNREACHABLE);
    assertThat(took).isGreaterThan(Duration.ofSeconds(9)); // 15 s minus the quiet time before
    assertThat(Files.readString(log)).contains("no answer from Kafka for");
  }
}
