package io.groupwarden.operator.lagmonitor.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.lagmonitor.redis.RedisStreamsCollector.Collection;
import io.groupwarden.operator.support.RedisStreams;
import io.groupwarden.testkit.RedisServer;
import io.groupwarden.testkit.TestCertificates;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisStreamsCollectorTest {
  private static RedisServer server;
  private static RedisStreams streams;
  private static RedisCommands<String, String> redis;
  private static RedisEndpoints endpoints;

  private final RedisStreamsCollector collector = new RedisStreamsCollector(Duration.ofSeconds(2));

  @BeforeAll
  static void start() {
    server = RedisServer.create().start();
    streams = RedisStreams.connect(server.uri());
    redis = streams.commands();
    endpoints = new RedisEndpoints(Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    endpoints.close();
    streams.close();
    server.stop();
  }

  private static List<StreamMessage<String, String>> read(
      String stream, String group, String consumer, int count) {
    return redis.xreadgroup(
        Consumer.from(group, consumer),
        io.lettuce.core.XReadArgs.Builder.count(count),
        StreamOffset.lastConsumed(stream));
  }

  /** On a server of a test's own: {@code stream} with one entry, and group g yet to read it. */
  private static void streamWithOneEntryForG(String uri, String stream) {
    RedisStreams.on(
        uri,
        r -> {
          r.createGroup(stream, "g");
          r.add(stream, 1);
        });
  }

  /** What the collector reports of group g on {@code stream} behind {@code endpoint}. */
  private StreamGroupLag lagOfG(RedisEndpoint endpoint, String stream) {
    return collector.collect(endpoint, List.of(stream), List.of("g")).lags().get(0);
  }

  private StreamGroupLag only(String stream, String group) {
    Collection collection =
        collector.collect(endpoints.acquire("test", server.uri()), List.of(stream), List.of(group));
    assertThat(collection.lags()).hasSize(1);
    return collection.lags().get(0);
  }

  @Test
  void lagGrowsWithTheProducerAndShrinksAsTheGroupCatchesUp() {
    streams.createGroup("orders", "billing");
    streams.add("orders", 50);
    assertThat(only("orders", "billing").lag()).isEqualTo(50);

    read("orders", "billing", "worker-1", 30);
    assertThat(only("orders", "billing").lag()).isEqualTo(20);

    read("orders", "billing", "worker-1", 100);
    StreamGroupLag caughtUp = only("orders", "billing");
    assertThat(caughtUp.lag()).isZero();
    assertThat(caughtUp.pending()).isEqualTo(50);
    assertThat(caughtUp.note()).isNull();
  }

  @Test
  void listsTheConsumersWithTheirPendingCounts() {
    streams.createGroup("payments", "ledger");
    streams.add("payments", 10);
    List<StreamMessage<String, String>> first = read("payments", "ledger", "alice", 4);
    read("payments", "ledger", "bob", 3);
    redis.xack("payments", "ledger", first.get(0).getId());

    StreamGroupLag lag = only("payments", "ledger");

    assertThat(lag.consumers())
        .extracting(StreamGroupLag.ConsumerInfo::name, StreamGroupLag.ConsumerInfo::pending)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("alice", 3L),
            org.assertj.core.groups.Tuple.tuple("bob", 3L));
    assertThat(lag.pending()).isEqualTo(6);
    assertThat(lag.lag()).isEqualTo(3);
  }

  @Test
  void aMissingGroupAndAMissingStreamAreReportedWithANote() {
    streams.add("events", 5);

    StreamGroupLag noGroup = only("events", "nobody");
    StreamGroupLag noStream = only("no-such-stream", "nobody");

    assertThat(noGroup.lag()).isZero();
    assertThat(noGroup.note()).contains("group does not exist");
    assertThat(noStream.lag()).isZero();
    assertThat(noStream.note()).contains("stream does not exist");
    assertThat(noStream.error()).isNull();
  }

  @Test
  void withoutAGroupListEveryGroupOfTheStreamIsReported() {
    streams.createGroup("audit", "a");
    redis.xgroupCreate(StreamOffset.from("audit", "$"), "b");
    streams.add("audit", 4);

    Collection collection =
        collector.collect(endpoints.acquire("test", server.uri()), List.of("audit"), List.of());

    assertThat(collection.lags())
        .extracting(StreamGroupLag::group, StreamGroupLag::lag)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", 4L),
            org.assertj.core.groups.Tuple.tuple("b", 4L));
  }

  @Test
  void afterDeletionsRedisReportsNoLagAndItIsCountedExactly() {
    streams.createGroup("clicks", "stats");
    streams.add("clicks", 10);
    read("clicks", "stats", "c", 2);
    List<StreamMessage<String, String>> rest =
        redis.xrange("clicks", io.lettuce.core.Range.create("-", "+"));
    redis.xdel(
        "clicks", rest.get(5).getId()); // an undelivered entry: Redis can no longer tell the lag
    assertThat(rawLag("clicks", "stats")).isNull();

    StreamGroupLag lag = only("clicks", "stats");

    assertThat(lag.lag()).isEqualTo(7);
    assertThat(lag.note()).contains("counted");
  }

  @Test
  void beyondTheExactCountLimitTheLagIsUnknownNotZero() {
    streams.createGroup("firehose", "slow");
    for (int batch = 0; batch < RedisStreamsCollector.EXACT_COUNT_LIMIT / 1000 + 1; batch++) {
      for (int i = 0; i < 1000; i++) {
        streams.connection().async().xadd("firehose", Map.of("n", "x"));
      }
      redis.ping();
    }
    read("firehose", "slow", "c", 1);
    List<StreamMessage<String, String>> some =
        redis.xrange(
            "firehose", io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(5));
    redis.xdel("firehose", some.get(3).getId());
    assertThat(rawLag("firehose", "slow")).isNull();

    StreamGroupLag lag = only("firehose", "slow");

    assertThat(lag.lag()).isNull();
    assertThat(lag.note()).contains("unknown");
  }

  @Test
  void pipeliningTakesTwoRoundTripsForManyStreams() {
    for (int i = 0; i < 20; i++) {
      streams.createGroup("many-" + i, "g");
    }
    List<String> streams =
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "many-" + i).toList();

    Collection collection =
        collector.collect(endpoints.acquire("test", server.uri()), streams, List.of("g"));

    assertThat(collection.lags()).hasSize(20);
    assertThat(collection.roundTrips()).isEqualTo(2);
  }

  @Test
  void anOutageIsReportedAsErrorsAndRecoveredWhenTheServerReturns() {
    try (RedisServer flaky = RedisServer.create().start();
        RedisEndpoints own = new RedisEndpoints(Duration.ofSeconds(1))) {
      streamWithOneEntryForG(flaky.uri(), "s");
      RedisEndpoint endpoint = own.acquire("t", flaky.uri());
      assertThat(lagOfG(endpoint, "s").lag()).isEqualTo(1);

      flaky.stop();
      StreamGroupLag down = lagOfG(endpoint, "s");
      assertThat(down.lag()).isEqualTo(-1);
      assertThat(down.error()).isNotBlank();

      flaky.start();
      RedisStreams.on(flaky.uri(), r -> r.createGroup("s", "g"));
      await().atMost(Duration.ofSeconds(20)).until(() -> lagOfG(endpoint, "s").error() == null);
    }
  }

  @Test
  void aPasswordAndADatabaseIndexInTheUriAreUsed() {
    try (RedisServer secured = RedisServer.withPassword("s3cret").start();
        RedisEndpoints own = new RedisEndpoints(Duration.ofSeconds(2))) {
      String uri = "redis://s3cret@127.0.0.1:" + secured.port() + "/3";
      streamWithOneEntryForG(uri, "secure");

      StreamGroupLag lag = lagOfG(own.acquire("t", uri), "secure");
      StreamGroupLag wrongDb =
          lagOfG(own.acquire("u", "redis://s3cret@127.0.0.1:" + secured.port() + "/0"), "secure");
      StreamGroupLag noPassword =
          lagOfG(own.acquire("v", "redis://127.0.0.1:" + secured.port()), "secure");

      assertThat(lag.lag()).isEqualTo(1);
      assertThat(wrongDb.note()).contains("stream does not exist");
      assertThat(noPassword.lag()).isEqualTo(-1);
      assertThat(noPassword.error()).doesNotContain("s3cret");
      assertThat(own.acquire("t", uri).toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void aTlsServerIsReadThroughRediss() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("redis-tls");
    TestCertificates.Issued certificate =
        TestCertificates.newCa(dir, "test-ca").issue(dir, "redis");
    try (RedisServer tls =
            RedisServer.withTls(certificate.certificate(), certificate.privateKey()).start();
        RedisEndpoints own = new RedisEndpoints(Duration.ofSeconds(2))) {
      // the test's own certificate is not in the JVM's trust store: encryption without verification
      String uri = tls.uri() + "?verifyPeer=NONE";
      streamWithOneEntryForG(uri, "tls");

      StreamGroupLag overTls = lagOfG(own.acquire("t", uri), "tls");
      StreamGroupLag plain = lagOfG(own.acquire("p", "redis://127.0.0.1:" + tls.port()), "tls");

      assertThat(tls.uri()).startsWith("rediss://");
      assertThat(overTls.lag()).isEqualTo(1);
      assertThat(overTls.error()).isNull();
      assertThat(plain.lag()).as("a plaintext client cannot talk to the TLS port").isEqualTo(-1);
    }
  }

  @Test
  void resourcesShareAnEndpointAndTheLastReleaseClosesIt() {
    try (RedisEndpoints own = new RedisEndpoints(Duration.ofSeconds(2))) {
      RedisEndpoint a = own.acquire("monitor/a", server.uri());
      RedisEndpoint b = own.acquire("monitor/b", server.uri());
      assertThat(a).isSameAs(b);

      own.release("monitor/a");
      assertThat(own.openClients()).isEqualTo(1);
      own.release("monitor/b");
      assertThat(own.openClients()).isZero();
    }
  }

  @Test
  void aMalformedUriIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> RedisEndpoint.parse("http://user:pw@host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw");
  }

  private static Object rawLag(String stream, String group) {
    for (Object g : redis.xinfoGroups(stream)) {
      List<?> fields = (List<?>) g;
      if (group.equals(fields.get(fields.indexOf("name") + 1))) {
        return fields.get(fields.indexOf("lag") + 1);
      }
    }
    throw new AssertionError("no group " + group);
  }
}
