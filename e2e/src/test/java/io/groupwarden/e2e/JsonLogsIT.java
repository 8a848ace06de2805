package io.groupwarden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.testkit.ChildProcesses;
import io.groupwarden.testkit.FreePort;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's and the sink worker's shipped jars with {@code GROUPWARDEN_LOG_FORMAT=json}:
 * every line they print, from start to stop, is one JSON object with a level, a logger and a
 * message. (The operator's jar is checked the same way in the operator's FailFastStartIT.)
 */
class JsonLogsIT {
  private static final Path ROOT = OperatorHarness.repositoryRoot();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theCoordinatorLogsJsonLines() throws Exception {
    int port = FreePort.pick();
    Path log = dir.resolve("coordinator.log");
    Process coordinator =
        CoordinatorJar.startLocal(
            port, dir.resolve("data"), log, Map.of("GROUPWARDEN_LOG_FORMAT", "json"), List.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(log).contains("serving Kafka"));
    stop(coordinator);

    List<JsonNode> events = parse(log);
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.path("message").asText())
                    .contains("serving Kafka on PLAINTEXT://127.0.0.1:" + port));
  }

  @Test
  void theSinkWorkerLogsJsonLines() throws Exception {
    MongoServer mongo = new MongoServer(new MemoryBackend());
    String mongoUri = mongo.bindAndGetConnectionString();
    Path log = dir.resolve("sink.log");
    Map<String, String> env = new HashMap<>();
    env.put("GROUPWARDEN_LOG_FORMAT", "json");
    env.put("SINK_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers());
    env.put("SINK_TOPIC", "json-logs");
    env.put("SINK_GROUP_ID", "json-logs-sink");
    env.put("SINK_INSTANCE_ID", "json-logs-sink-0");
    env.put("SINK_MONGODB_URI", mongoUri);
    env.put("SINK_MONGODB_DATABASE", "d");
    env.put("SINK_MONGODB_COLLECTION", "c");
    env.put("SINK_METRICS_PORT", String.valueOf(FreePort.pick()));
    try {
      Process sink =
          ChildProcesses.start(
              ChildProcesses.javaJarCommand(
                  List.of(), ROOT.resolve("sink-image/target/sink.jar"), List.of()),
              log,
              env);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !Files.readString(log).isBlank() || !sink.isAlive());
      stop(sink);
    } finally {
      mongo.shutdownNow();
    }

    List<JsonNode> events = parse(log);
    assertThat(events).isNotEmpty();
  }

  private static void stop(Process process) {
    ChildProcesses.stop(process, Duration.ofSeconds(30));
  }

  /** Every line as JSON, each with the fields a log pipeline keys on. */
  private static List<JsonNode> parse(Path log) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.path("log.level").asText()).as(line).isNotEmpty();
      assertThat(event.path("log.logger").asText()).as(line).isNotEmpty();
      assertThat(event.has("message")).as(line).isTrue();
      assertThat(event.path("@timestamp").asText()).as(line).isNotEmpty();
      events.add(event);
    }
    return events;
  }
}
