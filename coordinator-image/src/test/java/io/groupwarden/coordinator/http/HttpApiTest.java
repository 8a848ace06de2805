package io.groupwarden.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.RunningCoordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static RunningCoordinator broker;

  @BeforeAll
  static void start() throws Exception {
    broker = RunningCoordinator.start();
    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin.createTopics(List.of(new NewTopic("http-topic", 2, (short) 1))).all().get();
    }
    try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrapServers())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>("http-topic", i % 2, "k" + i, "{\"n\":" + i + "}"));
      }
      producer
          .send(
              new ProducerRecord<>(
                  "http-topic", 0, System.currentTimeMillis() + 60_000, "plain", "not json"))
          .get();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(broker.httpBase() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(broker.httpBase() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAndMetricsUseTheDocumentedNames() throws Exception {
    assertThat(JSON.readTree(get("/health").body()).get("status").asText()).isEqualTo("UP");
    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("coordinator_active_groups")
        .contains("coordinator_members")
        .contains("coordinator_rebalances_total")
        .contains("coordinator_rebalance_duration_seconds")
        .contains("coordinator_offset_commits_total")
        .contains("coordinator_heartbeats_total")
        .contains("coordinator_member_timeouts_total");
  }

  @Test
  void topicsAndMessagesAreListedWithJsonValuesAsJson() throws Exception {
    JsonNode topics = JSON.readTree(get("/topics").body());
    assertThat(topics.findValuesAsText("name")).contains("http-topic");

    JsonNode messages = JSON.readTree(get("/messages/http-topic?limit=3").body());
    assertThat(messages).hasSize(3);
    JsonNode last = messages.get(2);
    assertThat(last.get("value").asText()).isEqualTo("not json");
    assertThat(messages.get(0).get("value").get("n").isInt()).isTrue();

    assertThat(get("/messages/no-such-topic").statusCode()).isEqualTo(404);
    assertThat(get("/messages/http-topic?limit=abc").statusCode()).isEqualTo(400);
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void theConsumeApiJoinsTheGroupAndCommitsWhatItReturns() throws Exception {
    HttpResponse<String> first =
        post(
            "/consume",
            "{\"topic\":\"http-topic\",\"group_id\":\"http-group\",\"max_messages\":4,\"timeout\":10}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(first.body());
    assertThat(body.get("count").asInt()).isEqualTo(4);

    HttpResponse<String> rest =
        post(
            "/consume",
            "{\"topic\":\"http-topic\",\"group_id\":\"http-group\",\"max_messages\":100,\"timeout\":2}");
    assertThat(JSON.readTree(rest.body()).get("count").asInt()).isEqualTo(7);

    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("http-group").partitionsToOffsetAndMetadata().get();
      long total = committed.values().stream().mapToLong(o -> o.offset()).sum();
      assertThat(total).isEqualTo(11);
    }

    JsonNode groups = JSON.readTree(get("/consumer-groups").body());
    assertThat(groups.findValuesAsText("groupId")).contains("http-group");
    JsonNode detail = JSON.readTree(get("/consumer-groups/http-group").body());
    assertThat(detail.get("state").asText()).isEqualTo("Stable");
    assertThat(detail.get("totalLag").asLong()).isZero();
    JsonNode assignments = JSON.readTree(get("/consumer-groups/http-group/assignments").body());
    assertThat(assignments.get("members").get(0).get("assignment").get(0).get("partitions"))
        .hasSize(2);
    assertThat(get("/consumer-groups/unknown-group").statusCode()).isEqualTo(404);
  }

  @Test
  void badConsumeRequestsGet400AndUnknownTopics404() throws Exception {
    assertThat(post("/consume", "not json").statusCode()).isEqualTo(400);
    assertThat(post("/consume", "{\"group_id\":\"g\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> negative =
        post("/consume", "{\"topic\":\"http-topic\",\"group_id\":\"g\",\"max_messages\":-1}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(negative.body()).get("error").asText()).contains("max_messages");
    assertThat(post("/consume", "{\"topic\":\"missing\",\"group_id\":\"g\"}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void groupGaugesFollowMembership() throws Exception {
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.bootstrapServers(), "gauge-group", Map.of())) {
      consumer.subscribe(List.of("http-topic"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100));
                return !consumer.assignment().isEmpty();
              });
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  gauge("coordinator_members") >= 1 && gauge("coordinator_rebalances_total") >= 1);
    }
  }

  static double gauge(String name) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
