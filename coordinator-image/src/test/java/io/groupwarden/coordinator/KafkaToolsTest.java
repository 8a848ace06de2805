package io.groupwarden.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.coordinator.support.KafkaTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka's own VerifiableConsumer and ConsumerGroupCommand (kafka-tools 4.3.1) against the broker.
 */
class KafkaToolsTest {
  @RegisterExtension
  static final CoordinatorPerClass broker =
      new CoordinatorPerClass(
          Map.of(
              "group-consumer-session-timeout", "6s",
              "group-consumer-heartbeat-interval", "500ms"));

  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void fill() throws Exception {
    broker.createTopic("tools", 3);
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      for (int i = 0; i < 300; i++) {
        producer.send(new ProducerRecord<>("tools", "k" + i, "v" + i));
      }
    }
  }

  static List<JsonNode> events(String output) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        try {
          events.add(JSON.readTree(line));
        } catch (Exception e) {
          // a log line that happens to start with a brace
        }
      }
    }
    return events;
  }

  static List<String> verifiableConsumer(String group, String protocol) {
    return List.of(
        "--bootstrap-server",
        broker.bootstrapServers(),
        "--topic",
        "tools",
        "--group-id",
        group,
        "--group-protocol",
        protocol,
        "--reset-policy",
        "earliest");
  }

  @Test
  void verifiableConsumerWithTheConsumerProtocolIsAssignedEveryPartitionAndConsumesAll() {
    List<String> args = new ArrayList<>(verifiableConsumer("tools-verifiable", "CONSUMER"));
    args.addAll(List.of("--max-messages", "300"));
    String output = KafkaTools.run("org.apache.kafka.tools.VerifiableConsumer", args);

    List<JsonNode> events = events(output);
    Set<Integer> assigned = new HashSet<>();
    long consumed = 0;
    for (JsonNode event : events) {
      switch (event.path("name").asText()) {
        case "partitions_assigned" ->
            event.path("partitions").forEach(p -> assigned.add(p.path("partition").asInt()));
        case "records_consumed" -> consumed += event.path("count").asLong();
        default -> {}
      }
    }
    assertThat(assigned).as(output).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(consumed).as(output).isEqualTo(300);
    assertThat(events)
        .anySatisfy(e -> assertThat(e.path("name").asText()).isEqualTo("offsets_committed"));
  }

  @Test
  void consumerGroupCommandDescribesAConsumerProtocolGroupWithItsMembersAndEpochs()
      throws Exception {
    Path log = Files.createTempFile("verifiable-consumer", ".log");
    Process member =
        KafkaTools.start(
            "org.apache.kafka.tools.VerifiableConsumer",
            verifiableConsumer("tools-described", "CONSUMER"),
            log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  events(Files.readString(log, StandardCharsets.UTF_8)).stream()
                      .anyMatch(e -> e.path("name").asText().equals("offsets_committed")));
      String offsets = consumerGroups("--describe", "--group", "tools-described");
      String state =
          consumerGroups("--describe", "--group", "tools-described", "--state", "--verbose");
      String members =
          consumerGroups("--describe", "--group", "tools-described", "--members", "--verbose");
      String list = consumerGroups("--list", "--type");

      // Each partition with its committed offset, log end and owner.
      assertThat(offsets).as(offsets).contains("CURRENT-OFFSET").contains("LOG-END-OFFSET");
      assertThat(offsets.lines().filter(l -> l.startsWith("tools-described")).count())
          .as(offsets)
          .isEqualTo(3);
      assertThat(offsets).doesNotContain("has no active members");
      assertThat(state).as(state).contains("uniform").contains("Stable");
      assertThat(state).as(state).contains("GROUP-EPOCH").contains("TARGET-ASSIGNMENT-EPOCH");
      assertThat(members).as(members).contains("tools:0,1,2");
      assertThat(list).as(list).containsPattern("tools-described\\s+Consumer");
    } finally {
      member.destroy();
      member.waitFor();
    }
  }

  /** Kafka's ConsumerGroupCommand (kafka-consumer-groups) against the broker. */
  static String consumerGroups(String... args) {
    return KafkaTools.run(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        broker.bootstrapServers(),
        args);
  }
}
