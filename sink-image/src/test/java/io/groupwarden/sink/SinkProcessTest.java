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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker as its own process, the way Kubernetes runs it: killed, terminated, restarted. */
class SinkProcessTest {
  private static final Duration LONG = Duration.ofMinutes(2);
  private static KafkaBroker broker;
  private static KafkaFixture kafka;
  private static MongoWireServer mongo;
  private static MongoClient reader;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.shared();
    kafka = new KafkaFixture(broker.bootstrapServers());
    mongo = MongoWireServer.start();
    reader = mongo.client();
  }

  @AfterAll
  static void stop() {
    reader.close();
    mongo.close();
    kafka.close();
  }

  private static MongoCollection<Document> collection(String name) {
    return reader.getDatabase("sinktest").getCollection(name);
  }

  /** Starts SinkMain in a child JVM with the environment the reconciler would give the pod. */
  private static Process worker(String topic, int metricsPort, Path log) {
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
            "200");
    List<String> command =
        List.of(
            ChildProcesses.javaLauncher(),
            "-Xmx256m",
            "-cp",
            Path.of("target", "classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + runtimeClasspath(),
            "io.groupwarden.sink.SinkMain");
    return ChildProcesses.start(command, log, env);
  }

  private static String runtimeClasspath() {
    try (InputStream in = SinkProcessTest.class.getResourceAsStream("worker-runtime.classpath")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> values(int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(
          i % 2 == 0 ? "{\"message_id\":\"id-" + i + "\",\"n\":" + i + "}" : "{\"n\":" + i + "}");
    }
    return values;
  }

  @Test
  void aWorkerKilledMidStreamAndRestartedStoresEveryMessageExactlyOnce() throws Exception {
    String topic = "killed";
    kafka.createTopic(topic, 3);
    kafka.produce(topic, 3, values(20_000));
    Path log = Files.createTempFile("sink-killed", ".log");

    Process first = worker(topic, FreePort.pick(), log);
    await().atMost(LONG).until(() -> collection(topic).countDocuments() >= 2_000);
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no commit, no cleanup
    long storedBeforeTheCrash = collection(topic).countDocuments();

    Process second = worker(topic, FreePort.pick(), log);
    try {
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 20_000);
      await()
          .atMost(LONG)
          .until(() -> kafka.committed(topic + "-group").equals(kafka.endOffsets(topic)));
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(storedBeforeTheCrash).isLessThan(20_000);
    // exactly once: 20,000 distinct documents, one per message, and no dead letters
    assertThat(collection(topic).countDocuments()).isEqualTo(20_000);
    assertThat(collection(topic).distinct("n", Integer.class).into(new ArrayList<>()))
        .hasSize(20_000);
    assertThat(kafka.size(topic + ".dlq")).isZero();
  }

  @Test
  void sigtermFinishesTheBatchCommitsAndExitsCleanly() throws Exception {
    String topic = "terminated";
    kafka.createTopic(topic, 2);
    kafka.produce(topic, 2, values(3_000));
    int port = FreePort.pick();
    Path log = Files.createTempFile("sink-terminated", ".log");
    Process worker = worker(topic, port, log);
    await()
        .atMost(LONG)
        .ignoreExceptions()
        .until(() -> get(port, "/health/ready").statusCode() == 200);
    await().atMost(LONG).until(() -> collection(topic).countDocuments() == 3_000);
    // the lag gauge appears once the consumer knows the partition's high watermark
    await().atMost(LONG).until(() -> get(port, "/metrics").body().contains("consumer_lag{"));
    String metrics = get(port, "/metrics").body();
    for (String name :
        List.of(
            "consumer_messages_processed_total",
            "consumer_batch_size",
            "consumer_processing_time_seconds",
            "consumer_lag",
            "consumer_mongodb_write_time_seconds",
            "consumer_offset_commit_time_seconds",
            "consumer_active_connections")) {
      assertThat(metrics).as(name).contains(name);
    }

    worker.destroy(); // SIGTERM

    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // the JVM reports a SIGTERM shutdown as 143 however cleanly its hooks ran
    assertThat(worker.exitValue()).isEqualTo(143);
    assertThat(Files.readString(log))
        .contains("stopping: finishing the current batch")
        .doesNotContain("ERROR");
    assertThat(kafka.committed(topic + "-group")).isEqualTo(kafka.endOffsets(topic));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
