package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The worker as its own process, the way Kubernetes runs it: killed, terminated, restarted. */
class SinkProcessTest extends KafkaAndMongoTest {
  @Test
  void aWorkerKilledMidStreamAndRestartedStoresEveryMessageExactlyOnce() throws Exception {
    String topic = "killed";
    kafka.createTopic(topic, 3);
    kafka.produce(topic, 3, KafkaFixture.numberedMessages(0, 20_000));
    Path log = Files.createTempFile("sink-killed", ".log");

    Process first =
        WorkerProcess.start(broker.bootstrapServers(), mongo, topic, FreePort.pick(), log);
    await().atMost(LONG).until(() -> collection(topic).countDocuments() >= 2_000);
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no commit, no cleanup
    long storedBeforeTheCrash = collection(topic).countDocuments();

    Process second =
        WorkerProcess.start(broker.bootstrapServers(), mongo, topic, FreePort.pick(), log);
    try {
      await().atMost(LONG).until(() -> collection(topic).countDocuments() == 20_000);
      await()
          .atMost(LONG)
          .until(() -> kafka.committed(topic + "-group").equals(kafka.endOffsets(topic)));
    } finally {
      ChildProcesses.stop(second, Duration.ofSeconds(30));
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
    kafka.produce(topic, 2, KafkaFixture.numberedMessages(0, 3_000));
    int port = FreePort.pick();
    Path log = Files.createTempFile("sink-terminated", ".log");
    Process worker = WorkerProcess.start(broker.bootstrapServers(), mongo, topic, port, log);
    await()
        .atMost(LONG)
        .ignoreExceptions()
        .until(() -> WorkerProcess.get(port, "/health/ready").statusCode() == 200);
    await().atMost(LONG).until(() -> collection(topic).countDocuments() == 3_000);
    // the lag gauge appears once the consumer knows the partition's high watermark
    await()
        .atMost(LONG)
        .until(() -> WorkerProcess.get(port, "/metrics").body().contains("consumer_lag{"));
    String metrics = WorkerProcess.get(port, "/metrics").body();
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
}
