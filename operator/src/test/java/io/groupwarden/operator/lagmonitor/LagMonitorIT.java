package io.groupwarden.operator.lagmonitor;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static io.groupwarden.operator.support.StatusConditions.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Health;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import io.groupwarden.operator.support.RedisStreams;
import io.groupwarden.testkit.RedisServer;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The LagMonitor reconciler with a real redis-server, a real Kafka broker and the mock API. */
class LagMonitorIT {
  private static final String NS = "monitoring";

  private static RedisServer redisServer;
  private static RedisStreams streams;
  private static RedisCommands<String, String> redis;

  @RegisterExtension
  static final OperatorTestEnvironment env =
      OperatorTestEnvironment.inNamespace(NS)
          .withOperatorEnv(Map.of("GROUPWARDEN_KAFKA_TIMEOUT", "2s"));

  private static final CustomResources<LagMonitor, LagMonitorStatus> monitors =
      env.resources(LagMonitor.class);

  @BeforeAll
  static void startRedis() {
    redisServer = RedisServer.create().start();
    streams = RedisStreams.connect(redisServer.uri());
    redis = streams.commands();
  }

  @AfterAll
  static void stopRedis() {
    streams.close();
    redisServer.stop();
  }

  @Test
  void aGroupFallingBehindMovesThroughTheHealthClassesAndBackWithEvents() {
    streams.createGroup("orders", "billing");
    streams.add("orders", 5);
    monitors.applySpec(
        "orders",
        """
        redis: {uri: "%s", streams: [orders], groups: [billing]}
        interval: 1s
        thresholds: {degraded: 10, unhealthy: 50}
        """
            .formatted(redisServer.uri()));
    assertThat(awaitSource("orders", s -> s.lag() == 5).health()).isEqualTo(Health.healthy);

    streams.add("orders", 20);
    assertThat(awaitSource("orders", s -> s.lag() == 25).health()).isEqualTo(Health.degraded);
    env.awaitEvent("orders", "LagDegraded");

    streams.add("orders", 50);
    assertThat(awaitSource("orders", s -> s.lag() == 75).health()).isEqualTo(Health.unhealthy);
    env.awaitEvent("orders", "LagUnhealthy");
    LagMonitorStatus status = monitors.awaitStatus("orders", s -> s.health() == Health.unhealthy);
    assertThat(status.unhealthy()).isEqualTo(1);
    assertThat(status.totalLag()).isEqualTo(75);

    redis.xreadgroup(
        Consumer.from("billing", "w1"),
        XReadArgs.Builder.count(1000),
        StreamOffset.lastConsumed("orders"));

    assertThat(awaitSource("orders", s -> s.lag() == 0).health()).isEqualTo(Health.healthy);
    env.awaitEvent("orders", "LagRecovered");
    assertThat(env.events("orders", "LagDegraded")).hasSize(1);
    assertThat(env.events("orders", "LagUnhealthy")).hasSize(1);
  }

  @Test
  void consumersAreListedWithPendingCountsAndMissingGroupsAndStreamsAreNoted() {
    streams.createGroup("payments", "ledger");
    streams.add("payments", 9);
    redis.xreadgroup(
        Consumer.from("ledger", "alice"),
        XReadArgs.Builder.count(4),
        StreamOffset.lastConsumed("payments"));
    redis.xreadgroup(
        Consumer.from("ledger", "bob"),
        XReadArgs.Builder.count(2),
        StreamOffset.lastConsumed("payments"));
    monitors.applySpec(
        "payments",
        """
        redis: {uri: "%s", streams: [payments, no-such-stream], groups: [ledger, nobody]}
        interval: 1s
        """
            .formatted(redisServer.uri()));

    LagMonitorStatus status =
        monitors.awaitStatus("payments", s -> s.sourceCount() != null && s.sourceCount() == 4);

    Source ledger = source(status, "payments", "ledger");
    assertThat(ledger.lag()).isEqualTo(3);
    assertThat(ledger.consumers())
        .extracting(LagMonitorStatus.Consumer::name, LagMonitorStatus.Consumer::pending)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("alice", 4L),
            org.assertj.core.groups.Tuple.tuple("bob", 2L));
    assertThat(source(status, "payments", "nobody").note()).contains("group does not exist");
    assertThat(source(status, "payments", "nobody").lag()).isZero();
    assertThat(source(status, "no-such-stream", "ledger").note()).contains("stream does not exist");
  }

  @Test
  void aRedisOutageIsReportedAndRecovered() {
    try (RedisServer flaky = RedisServer.create().start()) {
      RedisStreams.on(flaky.uri(), r -> r.createGroup("jobs", "runners"));
      monitors.applySpec(
          "flaky",
          """
          redis: {uri: "%s", streams: [jobs], groups: [runners]}
          interval: 1s
          """
              .formatted(flaky.uri()));
      awaitSource("flaky", s -> s.lag() != null && s.lag() == 0);

      flaky.stop();

      Source down = awaitSource("flaky", s -> s.error() != null);
      assertThat(down.lag()).isEqualTo(-1);
      assertThat(down.health()).isEqualTo(Health.unhealthy);
      LagMonitorStatus status = monitors.awaitStatus("flaky", s -> s.health() == Health.unhealthy);
      assertThat(condition(status, "SourcesReachable").status()).isEqualTo("False");
      assertThat(condition(status, "Ready").status())
          .as("the monitor itself works")
          .isEqualTo("True");
      env.awaitEvent("flaky", "SourceUnreachable");

      flaky.start();
      RedisStreams.on(flaky.uri(), r -> r.createGroup("jobs", "runners"));

      awaitSource("flaky", s -> s.error() == null && s.lag() != null && s.lag() == 0);
      env.awaitEvent("flaky", "LagRecovered");
    }
  }

  @Test
  void aPasswordProtectedRedisIsReachedThroughASecret() {
    try (RedisServer secured = RedisServer.withPassword("pa55word").start()) {
      RedisStreams.on(
          "redis://pa55word@127.0.0.1:" + secured.port() + "/2",
          r -> {
            r.createGroup("secure", "g");
            r.add("secure", 1);
          });
      env.createSecret("redis-uri", "uri", "redis://pa55word@127.0.0.1:" + secured.port() + "/2");
      monitors.applySpec(
          "secured",
          """
          redis: {uriSecretRef: {name: redis-uri, key: uri}, streams: [secure], groups: [g]}
          interval: 1s
          """);

      Source source = awaitSource("secured", s -> s.lag() != null && s.lag() == 1);
      assertThat(source.error()).isNull();
      LagMonitor stored = monitors.get("secured");
      assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(stored))
          .doesNotContain("pa55word");
    }
  }

  @Test
  void badSpecsNameTheCauseAndRecoverWhenFixed() {
    monitors.applySpec(
        "broken",
        """
        redis: {uriSecretRef: {name: not-yet, key: uri}, streams: [s]}
        interval: 1s
        """);
    LagMonitorStatus missing = monitors.awaitReadyReason("broken", "SecretNotFound");
    assertThat(condition(missing, "Ready").message())
        .contains("spec.redis.uriSecretRef")
        .contains("not-yet");

    env.createSecret("not-yet", "uri", "http://not-redis");
    LagMonitorStatus malformed = monitors.awaitReadyReason("broken", "InvalidSpec");
    assertThat(condition(malformed, "Ready").message()).startsWith("spec.redis.uriSecretRef:");

    env.client()
        .secrets()
        .inNamespace(NS)
        .withName("not-yet")
        .edit(
            s ->
                new SecretBuilder(s)
                    .withData(null)
                    .addToStringData("uri", redisServer.uri())
                    .build());
    monitors.awaitStatus("broken", s -> condition(s, "Ready").isTrue());
  }

  @Test
  void kafkaGroupLagMatchesTheAdminClientAndMetricsGoAwayWithTheResource() throws Exception {
    try (KafkaTestClients kafka = new KafkaTestClients(env.broker().bootstrapServers())) {
      kafka.createTopic("monitored", 2);
      kafka.produce("monitored", 2, 30);
      kafka.commit("monitored-app", "monitored", 10, 25);
      long expected = kafka.adminLag("monitored-app", "monitored", 2);
      assertThat(expected).isEqualTo(25);
      streams.createGroup("mixed", "g");
      monitors.applySpec(
          "mixed",
          """
          kafka: {bootstrapServers: "%s", groups: [monitored-app]}
          redis: {uri: "%s", streams: [mixed], groups: [g]}
          interval: 1s
          """
              .formatted(env.broker().bootstrapServers(), redisServer.uri()));

      LagMonitorStatus status =
          monitors.awaitStatus("mixed", s -> s.sourceCount() != null && s.sourceCount() == 2);
      Source kafkaSource = source(status, "monitored", "monitored-app");
      assertThat(kafkaSource.kind()).isEqualTo(LagMonitorStatus.Kind.kafka);
      assertThat(kafkaSource.lag()).isEqualTo(expected);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  env.scrape()
                      .contains(
                          "event_consumer_lag{consumer_group=\"g\",lagmonitor=\"mixed\",namespace=\"monitoring\",stream=\"mixed\"} 0.0"));
      assertThat(env.scrape())
          .contains(
              "groupwarden_group_lag{group=\"monitored-app\",lagmonitor=\"mixed\",namespace=\"monitoring\",partition=\"0\",policy=\"\",topic=\"monitored\"} 20.0");

      monitors.delete("mixed");

      await().atMost(PATIENCE).until(() -> !env.scrape().contains("lagmonitor=\"mixed\""));
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private static Source awaitSource(String monitor, Predicate<Source> test) {
    LagMonitorStatus status =
        monitors.awaitStatus(
            monitor,
            s -> s.sources() != null && !s.sources().isEmpty() && test.test(s.sources().get(0)));
    return status.sources().get(0);
  }

  private static Source source(LagMonitorStatus status, String name, String group) {
    return status.sources().stream()
        .filter(s -> s.name().equals(name) && s.group().equals(group))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError("no source " + name + "/" + group + " in " + status.sources()));
  }
}
