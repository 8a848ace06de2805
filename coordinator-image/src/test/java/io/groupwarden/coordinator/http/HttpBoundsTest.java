package io.groupwarden.coordinator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.ProcessStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side under the abuse of issue 17's probes, against the broker as its own process at the
 * managed coordinator's heap (-Xmx768m), observed from outside through /proc and Kafka's admin API.
 */
class HttpBoundsTest {
  @TempDir static Path dir;

  static final int CONSUME_INSTANCES = 16;
  static final Duration IDLE = Duration.ofSeconds(3);
  static ChildBroker broker;
  static HttpCalls http;
  static Admin admin;
  static volatile List<String> namesAtMost = List.of();

  @BeforeAll
  static void start() throws Exception {
    broker =
        new ChildBroker(dir.resolve("data"))
            .start(
                List.of("-Xmx768m"),
                List.of(
                    "--http-consume-instances",
                    String.valueOf(CONSUME_INSTANCES),
                    "--http-consume-idle-timeout",
                    IDLE.toSeconds() + "s"));
    http = new HttpCalls(broker.httpBase());
    admin = Clients.admin(broker.bootstrapServers());
    admin
        .createTopics(
            List.of(new NewTopic("large", 2, (short) 1), new NewTopic("crowded", 4, (short) 1)))
        .all()
        .get();
    try (KafkaProducer<String, String> producer =
        Clients.producer(broker.bootstrapServers(), Map.of("max.request.size", 1_000_000))) {
      String big = "a".repeat(500_000);
      for (int i = 0; i < 200; i++) {
        producer.send(new ProducerRecord<>("large", i % 2, String.valueOf(i), big));
      }
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>("crowded", "m" + i));
      }
      producer.flush();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void messagesOfLargeRecordsStreamInBoundedMemoryWhileHealthStaysQuick() throws Exception {
    long pid = broker.pid();
    assertThat(http.get("/health").statusCode()).isEqualTo(200); // as a readiness probe would
    // The default byte cap: 8 records of 500 KB fit in 4 MiB, a ninth would not.
    assertThat(http.json("/messages/large?limit=10000")).hasSize(8);

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong maxRss = new AtomicLong(ProcessStats.rssBytes(pid));
    AtomicLong slowestHealthMs = new AtomicLong();
    List<Long> healthChecks = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> healthFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Its own client: one JDK client would deliver the probe's answers on the thread busy with the
    // 100 MB download, and time the client rather than the broker.
    HttpCalls prober = new HttpCalls(broker.httpBase());
    Thread probe =
        new Thread(
            () -> {
              while (running.get()) {
                maxRss.accumulateAndGet(ProcessStats.rssBytes(pid), Math::max);
                long start = System.nanoTime();
                try {
                  HttpResponse<String> health = prober.get("/health");
                  if (health.statusCode() != 200) {
                    healthFailures.add(health.statusCode() + " " + health.body());
                  }
                } catch (Exception e) {
                  healthFailures.add(e.toString());
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                slowestHealthMs.accumulateAndGet(ms, Math::max);
                healthChecks.add(ms);
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    String everything = "/messages/large?limit=10000&max_bytes=1073741824";
    List<Socket> stalled = new ArrayList<>();
    try {
      // Eight clients ask for the whole topic (100 MB each) and never read.
      for (int i = 0; i < 8; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", broker.httpPort()));
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET " + everything + " HTTP/1.1\r\nHost: x\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        stalled.add(socket);
      }
      probe.start();
      // One client reads it all, parsing as it goes.
      HttpResponse<InputStream> response =
          http.client()
              .send(
                  HttpRequest.newBuilder(URI.create(broker.httpBase() + everything)).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      Set<String> keys = new HashSet<>();
      long lastTimestamp = Long.MIN_VALUE;
      try (JsonParser parser = HttpCalls.JSON.getFactory().createParser(response.body())) {
        assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          JsonNode message = HttpCalls.JSON.readTree(parser);
          assertThat(message.get("value").asText()).hasSize(500_000);
          assertThat(message.get("timestamp").asLong()).isGreaterThanOrEqualTo(lastTimestamp);
          lastTimestamp = message.get("timestamp").asLong();
          keys.add(message.get("key").asText());
        }
      }
      assertThat(keys).hasSize(200);
      Thread.sleep(500); // a few more probes with the eight stalled answers still open
    } finally {
      running.set(false);
      probe.join(10_000);
      for (Socket socket : stalled) {
        socket.close();
      }
    }
    assertThat(broker.isAlive()).isTrue();
    assertThat(healthChecks).hasSizeGreaterThan(3);
    assertThat(healthFailures).isEmpty();
    // Before streaming, /health stalled for 17 s behind one such request; here it stays prompt.
    assertThat(slowestHealthMs.get())
        .as("slowest /health in ms of %s", healthChecks)
        .isLessThan(2_000);
    // Eight unread answers of 100 MB each would not fit a 768 MB heap if they were built whole.
    assertThat(maxRss.get()).as("largest RSS").isLessThan(1_100L << 20);
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void twoHundredConcurrentConsumesOnOneGroupEndWithinTheirTimeoutsAndAreReleasedByTheTimer()
      throws Exception {
    long pid = broker.pid();
    awaitReleased(pid, List.of());
    int baseline = ProcessStats.threads(pid);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong maxThreads = new AtomicLong(baseline);
    AtomicLong maxInstances = new AtomicLong();
    Thread sampler = sampler(pid, running, maxThreads, maxInstances);
    sampler.start();

    // 100 records for 200 requests of 5: most requests wait out their one-second timeout.
    String body = "{\"topic\":\"crowded\",\"group_id\":\"crowd\",\"max_messages\":5,\"timeout\":1}";
    Map<Integer, Long> elapsedMs = new ConcurrentHashMap<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      long start = System.nanoTime();
      answers.add(
          http.client()
              .sendAsync(http.postRequest("/consume", body), HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, e) -> elapsedMs.put(n, (System.nanoTime() - start) / 1_000_000)));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    running.set(false);
    sampler.join();

    Set<String> delivered = new HashSet<>();
    int count = 0;
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get();
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode result = HttpCalls.json(response);
      assertThat(result.get("success").asBoolean()).isTrue();
      for (JsonNode m : result.get("messages")) {
        assertThat(delivered.add(m.get("partition").asInt() + "/" + m.get("offset").asLong()))
            .as("delivered once")
            .isTrue();
        count++;
      }
    }
    assertThat(count).as("every record delivered exactly once").isEqualTo(100);
    long committed =
        admin
            .listConsumerGroupOffsets("crowd")
            .partitionsToOffsetAndMetadata()
            .get()
            .values()
            .stream()
            .mapToLong(o -> o.offset())
            .sum();
    assertThat(committed).isEqualTo(100);
    // The timeout is one second; the rest is HTTP and scheduling on a busy two-core machine.
    assertThat(elapsedMs.values().stream().mapToLong(Long::longValue).max().getAsLong())
        .as("slowest request in ms")
        .isLessThan(3_500);
    assertThat(maxInstances.get()).isLessThanOrEqualTo(1);
    assertThat(maxThreads.get() - baseline).as("threads added").isLessThan(30);

    // Released by the idle timer, with no further request of any kind to the HTTP port.
    awaitReleased(pid, List.of("crowd"));
  }

  @Test
  void fourHundredDistinctGroupsStayWithinTheInstanceBoundAndLeaveNothingBehind() throws Exception {
    long pid = broker.pid();
    awaitReleased(pid, List.of());
    int baselineThreads = ProcessStats.threads(pid);
    List<String> baselineNames = ProcessStats.threadNames(pid);
    long baselineFiles = ProcessStats.openFilesExceptConnectionsTo(pid, broker.httpPort());
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong maxThreads = new AtomicLong(baselineThreads);
    AtomicLong maxInstances = new AtomicLong();
    Thread sampler = sampler(pid, running, maxThreads, maxInstances);
    sampler.start();

    List<String> groups = new ArrayList<>();
    int ok = 0;
    int busy = 0;
    for (int wave = 0; wave < 10; wave++) {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String group = "distinct-" + (wave * 40 + i);
        groups.add(group);
        String body =
            "{\"topic\":\"crowded\",\"group_id\":\""
                + group
                + "\",\"max_messages\":1,\"timeout\":0.3}";
        answers.add(
            http.client()
                .sendAsync(
                    http.postRequest("/consume", body), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        if (response.statusCode() == 200) {
          ok++;
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
          assertThat(HttpCalls.json(response).get("error").asText()).contains("busy");
          busy++;
        }
      }
    }
    running.set(false);
    sampler.join();

    assertThat(ok + busy).isEqualTo(400);
    assertThat(ok).as("requests served").isGreaterThanOrEqualTo(CONSUME_INSTANCES);
    assertThat(maxInstances.get()).isLessThanOrEqualTo(CONSUME_INSTANCES);
    // Each consumer adds a driver and a heartbeat thread at most.
    assertThat(maxThreads.get() - baselineThreads)
        .as("threads added: %s beyond %s", namesAtMost, baselineNames)
        .isLessThanOrEqualTo(2L * CONSUME_INSTANCES + 20);

    awaitReleased(pid, groups);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(ProcessStats.openFilesExceptConnectionsTo(pid, broker.httpPort()))
                    .as("open files")
                    .isLessThanOrEqualTo(baselineFiles + 10));
  }

  /** Samples the broker's thread count and its open HTTP consumers while a test runs. */
  private static Thread sampler(
      long pid, AtomicBoolean running, AtomicLong maxThreads, AtomicLong maxInstances) {
    return new Thread(
        () -> {
          while (running.get()) {
            List<String> names = ProcessStats.threadNames(pid);
            if (names.size() > maxThreads.get()) {
              maxThreads.set(names.size());
              namesAtMost = names;
            }
            try {
              maxInstances.accumulateAndGet(
                  (long) http.metric("coordinator_http_consume_instances"), Math::max);
              Thread.sleep(50);
            } catch (Exception e) {
              return;
            }
          }
        });
  }

  /**
   * The idle timer closes every HTTP consumer: their threads end and they leave their groups. Only
   * /proc and the Kafka admin API are asked, never the HTTP port, so nothing but the timer can have
   * released them.
   */
  private static void awaitReleased(long pid, List<String> groups) {
    await()
        .atMost(IDLE.plus(Duration.ofSeconds(25)))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              List<String> names = ProcessStats.threadNames(pid);
              assertThat(names)
                  .as("consumer driver and heartbeat threads")
                  .noneMatch(
                      n -> n.matches("http-consume-\\d+") || n.startsWith("kafka-coordinat"));
              if (groups.isEmpty()) {
                return;
              }
              var described = admin.describeConsumerGroups(groups).describedGroups();
              for (var entry : described.entrySet()) {
                try {
                  ConsumerGroupDescription group = entry.getValue().get();
                  assertThat(group.members()).as("members of %s", entry.getKey()).isEmpty();
                } catch (java.util.concurrent.ExecutionException e) {
                  // a group that never committed anything is gone once empty
                  assertThat(e.getCause())
                      .isInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
                }
              }
            });
  }
}
