package io.groupwarden.coordinator.http;

import static io.groupwarden.coordinator.http.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.CoordinatorPerClass;
import io.groupwarden.testkit.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every endpoint of the broker's HTTP side, against a running broker and real Kafka clients. */
class CoordinatorHttpTest {
  @RegisterExtension static final CoordinatorPerClass broker = new CoordinatorPerClass();

  static HttpCalls http;

  @BeforeAll
  static void start() throws Exception {
    http = new HttpCalls(broker.httpBase());
    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("http-topic", 2, (short) 1),
                  new NewTopic("produce-topic", 3, (short) 1),
                  new NewTopic("default-group-topic", 1, (short) 1),
                  new NewTopic("sized-topic", 1, (short) 1)))
          .all()
          .get();
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
      for (int i = 0; i < 6; i++) {
        producer.send(new ProducerRecord<>("default-group-topic", "d" + i));
      }
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("sized-topic", String.valueOf(i), "x".repeat(1000)));
      }
      producer.flush();
    }
  }

  @Test
  void theRootDescribesTheServiceAndDocsServeTheOpenApiDocument() throws Exception {
    JsonNode about = http.json("/");
    assertThat(about.get("message").asText()).isEqualTo("groupwarden coordinator HTTP API");
    assertThat(about.get("version").asText()).isNotBlank().doesNotContain("${");
    // Every resource the server routes, under its name, with its first route.
    assertThat(about.get("endpoints").toString())
        .isEqualTo(
            "{\"health\":\"/health\",\"consume\":\"/consume\",\"produce\":\"/produce\","
                + "\"topics\":\"/topics\",\"messages\":\"/messages/{topic}\","
                + "\"consumer_groups\":\"/consumer-groups\",\"metrics\":\"/metrics\","
                + "\"docs\":\"/docs\"}");

    JsonNode docs = http.json("/docs");
    assertThat(docs.get("openapi").asText()).startsWith("3.");
    assertThat(docs.get("info").get("version").asText()).isEqualTo(about.get("version").asText());
  }

  @Test
  void healthReportsBrokerConnectivityAndATimestamp() throws Exception {
    HttpResponse<String> response = http.get("/health");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = json(response);
    assertThat(health.get("status").asText()).isEqualTo("healthy");
    assertThat(health.get("kafka_connected").asBoolean()).isTrue();
    Instant at = Instant.parse(health.get("timestamp").asText());
    assertThat(Duration.between(at, Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void metricsUseTheDocumentedNames() throws Exception {
    http.get("/no-such-endpoint");
    String metrics = http.get("/metrics").body();
    assertThat(metrics)
        .contains("coordinator_active_groups")
        .contains("coordinator_members")
        .contains("coordinator_rebalances_total")
        .contains("coordinator_rebalance_duration_seconds")
        .contains("coordinator_offset_commits_total")
        .contains("coordinator_heartbeats_total")
        .contains("coordinator_member_timeouts_total")
        .contains("coordinator_http_connections_refused_total")
        .contains("coordinator_http_requests_refused_total")
        .contains("coordinator_http_write_failures_total")
        .contains("coordinator_http_consume_instances")
        .contains("coordinator_http_consume_refused_total");
    assertThat(http.metric("coordinator_http_requests_failed_total{status=\"4xx\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void topicsAreListedWithTheFieldNamesOfTheConsumeService() throws Exception {
    JsonNode topics = http.json("/topics");
    JsonNode entry = null;
    for (JsonNode t : topics) {
      if (t.get("topic").asText().equals("http-topic")) {
        entry = t;
      }
    }
    assertThat(entry).as("http-topic listed in %s", topics).isNotNull();
    assertThat(entry.get("partitions").asInt()).isEqualTo(2);
    assertThat(entry.get("messages").asLong()).isEqualTo(11);
    assertThat(entry.get("group_id").asText()).startsWith("http-consume-");
    assertThat(entry.get("id").asText()).isNotBlank();
  }

  @Test
  void messagesAreTheNewestOldestFirstWithJsonValuesAsJson() throws Exception {
    JsonNode messages = http.json("/messages/http-topic?limit=3");
    assertThat(messages).hasSize(3);
    JsonNode last = messages.get(2);
    assertThat(last.get("value").asText()).isEqualTo("not json");
    assertThat(last.get("key").asText()).isEqualTo("plain");
    assertThat(last.get("topic").asText()).isEqualTo("http-topic");
    assertThat(messages.get(0).get("value").get("n").isInt()).isTrue();
    assertThat(messages.get(0).get("timestamp").asLong())
        .isLessThanOrEqualTo(messages.get(1).get("timestamp").asLong());

    assertThat(http.json("/messages/http-topic")).hasSize(10);
    assertThat(http.json("/messages/http-topic?limit=10000")).hasSize(11);
  }

  @Test
  void messagesStopAtMaxBytesButAlwaysShowTheNewest() throws Exception {
    // five records of 1001 bytes of key and value each
    JsonNode three = http.json("/messages/sized-topic?max_bytes=3500");
    assertThat(three).hasSize(3);
    assertThat(three.get(2).get("key").asText()).isEqualTo("4");
    assertThat(three.get(0).get("key").asText()).isEqualTo("2");
    JsonNode one = http.json("/messages/sized-topic?max_bytes=10");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("key").asText()).isEqualTo("4");
  }

  @Test
  void messagesRefuseBadParametersWithoutTruncating() throws Exception {
    assertThat(http.get("/messages/no-such-topic").statusCode()).isEqualTo(404);
    HttpResponse<String> notANumber = http.get("/messages/http-topic?limit=abc");
    assertThat(notANumber.statusCode()).isEqualTo(400);
    assertThat(json(notANumber).get("error").asText()).contains("limit");
    HttpResponse<String> huge = http.get("/messages/http-topic?limit=4294967301");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(json(huge).get("error").asText())
        .isEqualTo("limit must be from 1 to 10000, not 4294967301");
    assertThat(http.get("/messages/http-topic?max_bytes=0").statusCode()).isEqualTo(400);
    assertThat(http.get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void theConsumeApiJoinsTheGroupAndCommitsWhatItReturns() throws Exception {
    HttpResponse<String> first =
        http.post(
            "/consume",
            "{\"topic\":\"http-topic\",\"group_id\":\"http-group\",\"max_messages\":4,\"timeout\":10}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode body = json(first);
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("count").asInt()).isEqualTo(4);
    assertThat(body.get("group_id").asText()).isEqualTo("http-group");
    assertThat(body.get("topic").asText()).isEqualTo("http-topic");
    assertThat(body.get("messages").get(0).get("topic").asText()).isEqualTo("http-topic");

    HttpResponse<String> rest =
        http.post(
            "/consume",
            "{\"topic\":\"http-topic\",\"group_id\":\"http-group\",\"max_messages\":100,\"timeout\":2}");
    assertThat(json(rest).get("count").asInt()).isEqualTo(7);

    try (Admin admin = Clients.admin(broker.bootstrapServers())) {
      Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets("http-group").partitionsToOffsetAndMetadata().get();
      long total = committed.values().stream().mapToLong(o -> o.offset()).sum();
      assertThat(total).isEqualTo(11);
    }

    JsonNode groups = http.json("/consumer-groups");
    assertThat(groups.findValuesAsText("groupId")).contains("http-group");
    JsonNode detail = http.json("/consumer-groups/http-group");
    assertThat(detail.get("state").asText()).isEqualTo("Stable");
    assertThat(detail.get("totalLag").asLong()).isZero();
    assertThat(detail.get("members").get(0).get("clientId").asText()).isEqualTo("http-consume");
    assertThat(detail.get("offsets")).hasSize(2);
    JsonNode assignments = http.json("/consumer-groups/http-group/assignments");
    assertThat(assignments.get("members").get(0).get("assignment").get(0).get("partitions"))
        .hasSize(2);
    assertThat(http.get("/consumer-groups/unknown-group").statusCode()).isEqualTo(404);
    assertThat(json(http.get("/consumer-groups/unknown-group")).get("error").asText())
        .isEqualTo("group 'unknown-group' does not exist");
  }

  @Test
  void withoutAGroupTheServiceGroupNamedByTopicsIsUsedAndContinues() throws Exception {
    String serviceGroup = http.json("/topics").get(0).get("group_id").asText();
    JsonNode first =
        json(
            http.post(
                "/consume",
                "{\"topic\":\"default-group-topic\",\"max_messages\":4,\"timeout\":10}"));
    assertThat(first.get("success").asBoolean()).isTrue();
    assertThat(first.get("group_id").asText()).isEqualTo(serviceGroup);
    assertThat(first.get("count").asInt()).isEqualTo(4);
    JsonNode second =
        json(http.post("/consume", "{\"topic\":\"default-group-topic\",\"timeout\":2}"));
    assertThat(second.get("count").asInt()).isEqualTo(2);
    List<String> values = new ArrayList<>();
    first.get("messages").forEach(m -> values.add(m.get("value").asText()));
    second.get("messages").forEach(m -> values.add(m.get("value").asText()));
    assertThat(values).containsExactly("d0", "d1", "d2", "d3", "d4", "d5");
  }

  @Test
  void badConsumeRequestsGet400WithoutParserInternalsAndUnknownTopics404() throws Exception {
    HttpResponse<String> notJson = http.post("/consume", "not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).doesNotContain("jackson", "Exception", "java.");
    assertThat(http.post("/consume", "{\"group_id\":\"g\"}").statusCode()).isEqualTo(400);
    HttpResponse<String> negative =
        http.post("/consume", "{\"topic\":\"http-topic\",\"group_id\":\"g\",\"max_messages\":-1}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(json(negative).get("error").asText()).contains("max_messages");
    HttpResponse<String> overflow =
        http.post(
            "/consume",
            "{\"topic\":\"http-topic\",\"group_id\":\"g\",\"max_messages\":4294967301}");
    assertThat(overflow.statusCode()).isEqualTo(400);
    assertThat(json(overflow).get("error").asText())
        .isEqualTo("max_messages must be from 1 to 10000, not 4294967301");
    HttpResponse<String> fraction =
        http.post("/consume", "{\"topic\":\"http-topic\",\"max_messages\":2.5}");
    assertThat(json(fraction).get("error").asText())
        .isEqualTo("max_messages must be a whole number, not 2.5");
    HttpResponse<String> longTimeout =
        http.post("/consume", "{\"topic\":\"http-topic\",\"timeout\":1e400}");
    assertThat(longTimeout.statusCode()).isEqualTo(400);
    assertThat(json(longTimeout).get("error").asText()).contains("timeout");
    HttpResponse<String> typo =
        http.post("/consume", "{\"topic\":\"http-topic\",\"max_mesages\":3}");
    assertThat(json(typo).get("error").asText()).isEqualTo("unknown field 'max_mesages'");
    HttpResponse<String> missing =
        http.post("/consume", "{\"topic\":\"missing\",\"group_id\":\"g\"}");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").asText()).isEqualTo("topic 'missing' does not exist");
  }

  @Test
  void produceWritesJsonAndStringMessagesWithKeyPartitionAndHeaders() throws Exception {
    HttpResponse<String> jsonMessage =
        http.post(
            "/produce",
            "{\"topic\":\"produce-topic\",\"message\":{\"order\":7,\"items\":[1,2]},"
                + "\"key\":\"o-7\",\"partition\":2,\"headers\":{\"trace\":\"abc\"}}");
    assertThat(jsonMessage.statusCode()).as(jsonMessage.body()).isEqualTo(200);
    JsonNode written = json(jsonMessage);
    assertThat(written.get("success").asBoolean()).isTrue();
    assertThat(written.get("topic").asText()).isEqualTo("produce-topic");
    assertThat(written.get("partition").asInt()).isEqualTo(2);
    assertThat(written.get("offset").asLong()).isZero();

    JsonNode text =
        json(http.post("/produce", "{\"topic\":\"produce-topic\",\"message\":\"hello there\"}"));
    int textPartition = text.get("partition").asInt();
    long textOffset = text.get("offset").asLong();

    // A real Kafka consumer reads exactly what was written.
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.bootstrapServers(), "produce-check", Map.of())) {
      List<TopicPartition> partitions =
          List.of(0, 1, 2).stream().map(p -> new TopicPartition("produce-topic", p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 2;
              });
      ConsumerRecord<String, String> order =
          records.stream().filter(r -> r.partition() == 2 && r.offset() == 0).findFirst().get();
      assertThat(order.key()).isEqualTo("o-7");
      assertThat(order.value()).isEqualTo("{\"order\":7,\"items\":[1,2]}");
      assertThat(new String(order.headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
          .isEqualTo("abc");
      ConsumerRecord<String, String> hello =
          records.stream()
              .filter(r -> r.partition() == textPartition && r.offset() == textOffset)
              .findFirst()
              .get();
      assertThat(hello.value()).isEqualTo("hello there");
      assertThat(hello.key()).isNull();
    }

    // And the HTTP side shows them as they were sent.
    JsonNode shown = http.json("/messages/produce-topic");
    JsonNode order = null;
    for (JsonNode m : shown) {
      // The string message may have landed on partition 2 as well: pick the order by its offset.
      if (m.get("partition").asInt() == 2 && m.get("offset").asLong() == 0) {
        order = m;
      }
    }
    assertThat(order.get("value").get("items").get(1).asInt()).isEqualTo(2);
    assertThat(order.get("headers").get("trace").asText()).isEqualTo("abc");
  }

  @Test
  void badProduceRequestsAreRefusedWithClearErrors() throws Exception {
    HttpResponse<String> unknownTopic =
        http.post("/produce", "{\"topic\":\"nope\",\"message\":\"x\"}");
    assertThat(unknownTopic.statusCode()).isEqualTo(404);
    HttpResponse<String> noMessage = http.post("/produce", "{\"topic\":\"produce-topic\"}");
    assertThat(noMessage.statusCode()).isEqualTo(400);
    assertThat(json(noMessage).get("error").asText()).contains("'message' is required");
    HttpResponse<String> partition =
        http.post("/produce", "{\"topic\":\"produce-topic\",\"message\":\"x\",\"partition\":3}");
    assertThat(partition.statusCode()).isEqualTo(400);
    assertThat(json(partition).get("error").asText())
        .isEqualTo("partition 3 does not exist: 'produce-topic' has partitions 0 to 2");
    HttpResponse<String> hugePartition =
        http.post(
            "/produce", "{\"topic\":\"produce-topic\",\"message\":\"x\",\"partition\":4294967298}");
    assertThat(hugePartition.statusCode()).isEqualTo(400);
    String big = "y".repeat(1_100_000);
    HttpResponse<String> tooLarge =
        http.post("/produce", "{\"topic\":\"produce-topic\",\"message\":\"" + big + "\"}");
    assertThat(tooLarge.statusCode()).isIn(413);
    assertThat(json(tooLarge).get("error").asText()).contains("larger than the broker accepts");
  }

  @Test
  void pipelinedRequestsAreAnsweredInTheOrderSent() throws Exception {
    // Streamed, JSON and asynchronous answers mixed, each telling which request it answers.
    List<String> paths = new ArrayList<>();
    List<java.util.function.Predicate<String>> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int limit = i % 5 + 1;
      switch (i % 3) {
        case 0 -> {
          paths.add("/messages/http-topic?limit=" + limit);
          expected.add(body -> countOf(body) == limit);
        }
        case 1 -> {
          String group = "pipelined-" + i;
          paths.add("/consumer-groups/" + group);
          expected.add(body -> body.equals("{\"error\":\"group '" + group + "' does not exist\"}"));
        }
        default -> {
          paths.add("/health");
          expected.add(body -> body.contains("\"kafka_connected\":true"));
        }
      }
    }
    StringBuilder requests = new StringBuilder();
    paths.forEach(p -> requests.append("GET ").append(p).append(" HTTP/1.1\r\nHost: x\r\n\r\n"));
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", java.net.URI.create(broker.httpBase()).getPort())) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      RawHttp answers = new RawHttp(new java.io.BufferedInputStream(socket.getInputStream()));
      for (int i = 0; i < paths.size(); i++) {
        String body = answers.next().body();
        assertThat(expected.get(i).test(body))
            .as("answer %d to %s: %s", i, paths.get(i), body)
            .isTrue();
      }
    }
  }

  private static int countOf(String body) {
    try {
      JsonNode node = HttpCalls.JSON.readTree(body);
      return node.isArray() ? node.size() : -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
