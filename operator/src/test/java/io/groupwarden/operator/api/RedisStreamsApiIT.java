package io.groupwarden.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.support.OperatorHarness;
import io.groupwarden.operator.support.RedisStreams;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.RedisServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Redis Streams lag endpoints fed by a real LagMonitor reading a real redis-server: the fields
 * the lag service they replace reported, with the numbers Redis itself gives.
 */
class RedisStreamsApiIT {

  @Test
  void theLagServiceFieldsComeFromARealLagMonitorOnARealRedis() throws Exception {
    try (RedisServer server = RedisServer.create().start();
        OperatorHarness harness = OperatorHarness.start()) {
      try (RedisStreams redisStreams = RedisStreams.connect(server.uri())) {
        RedisCommands<String, String> redis = redisStreams.commands();
        redisStreams.createGroup("events:chat", "signalr");
        redisStreams.createGroup("events:ticket", "signalr");
        String last = redisStreams.add("events:chat", 150);
        redisStreams.add("events:ticket", 45);
        // instance-1 reads 20 of the chat stream: 130 remain undelivered there
        List<StreamMessage<String, String>> read =
            redis.xreadgroup(
                Consumer.from("signalr", "instance-1"),
                XReadArgs.Builder.count(20),
                StreamOffset.lastConsumed("events:chat"));
        assertThat(read).hasSize(20);
        TestResources.applySpec(
            harness.client(),
            LagMonitor.class,
            "support",
            "events",
            """
            redis: {uri: "%s", streams: ["events:chat", "events:ticket"], groups: [signalr]}
            interval: 1s
            thresholds: {degraded: 100, unhealthy: 1000}
            """
                .formatted(server.uri()));

        JsonNode lag =
            awaitJson(
                harness, "/api/v1/events/consumer-lag", n -> n.path("stream_count").asInt() == 2);
        assertThat(lag.path("total_lag").asLong()).isEqualTo(175);
        assertThat(lag.path("max_lag").asLong()).isEqualTo(130);
        assertThat(lag.path("redis_connected").asBoolean()).isTrue();
        assertThat(lag.path("streams").path("events:chat").path("lag").asLong()).isEqualTo(130);
        assertThat(lag.path("streams").path("events:chat").path("consumers").get(0).asText())
            .isEqualTo("instance-1");
        assertThat(lag.path("streams").path("events:ticket").path("lag").asLong()).isEqualTo(45);

        JsonNode streams = get(harness, "/api/v1/events/streams");
        JsonNode chat = streams.path("streams").get(0);
        assertThat(chat.path("stream").asText()).isEqualTo("events:chat");
        assertThat(chat.path("length").asLong()).isEqualTo(150);
        assertThat(chat.path("last_entry").path("id").asText()).isEqualTo(last);
        assertThat(chat.path("last_generated_id").asText()).isEqualTo(last);
        assertThat(chat.path("entries_added").asLong()).isEqualTo(150);

        JsonNode health = get(harness, "/api/v1/events/health");
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("redis_connected").asBoolean()).isTrue();
        assertThat(health.path("streams").path("healthy").asInt()).isEqualTo(1);
        assertThat(health.path("streams").path("degraded").asInt()).isEqualTo(1);
        assertThat(health.path("max_lag").asLong()).isEqualTo(130);
        assertThat(health.path("total_lag").asLong()).isEqualTo(175);
        assertThat(health.path("thresholds").get(0).path("degraded").asLong()).isEqualTo(100);
        assertThat(health.path("thresholds").get(0).path("unhealthy").asLong()).isEqualTo(1000);

        // Redis goes away: the same endpoints say so rather than fail
        server.stop();
        JsonNode down =
            awaitJson(
                harness, "/api/v1/events/health", n -> !n.path("redis_connected").asBoolean());
        assertThat(down.path("status").asText()).isEqualTo("unhealthy");
      }
    }
  }

  /** Reads an endpoint until its answer {@code matches}, at most a minute. */
  private static JsonNode awaitJson(
      OperatorHarness harness, String path, Predicate<JsonNode> matches) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> get(harness, path), matches);
  }

  private static JsonNode get(OperatorHarness harness, String path) throws Exception {
    return TestResources.getJson(harness.operator()::httpPort, "test-token", path);
  }
}
