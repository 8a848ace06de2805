package io.groupwarden.coordinator.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.groupwarden.coordinator.support.ChildBroker;
import io.groupwarden.coordinator.support.Clients;
import io.groupwarden.coordinator.support.HttpText;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as its own process under {@code ulimit -n 256}, with the topic limits lifted: a flood
 * of topic creations and writes to every new topic stays within the descriptors (segment files are
 * opened on demand and at most a quarter of the limit stay open); and when connections take every
 * descriptor, creations fail with an error, the broker answers everyone it can and recovers.
 */
class DescriptorLimitTest {
  static final int LIMIT = 256;
  static final int TOPICS = 1_000;

  @TempDir Path dir;

  @Test
  void aTopicFloodUnderALowDescriptorLimitFailsRequestsNotTheBroker() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc (Linux)");
    try (ChildBroker broker =
        new ChildBroker(dir.resolve("data"))
            .withDescriptorLimit(LIMIT)
            .withArguments(
                List.of(
                    "--max-topics", "100000",
                    "--max-partitions", "100000",
                    "--topic-creation-rate", "100000"))
            .start()) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin = Clients.admin(bootstrap);
          KafkaProducer<String, String> producer =
              Clients.producer(
                  bootstrap, Map.of("delivery.timeout.ms", 60_000, "request.timeout.ms", 20_000))) {
        producer.send(new ProducerRecord<>("steady", "k", "before")).get(30, TimeUnit.SECONDS);

        // 1. The flood: every creation and a write to every new topic succeed, within the limit.
        for (int from = 0; from < TOPICS; from += 100) {
          List<NewTopic> batch = new ArrayList<>();
          for (int t = from; t < from + 100; t++) {
            batch.add(new NewTopic("flood-" + t, 1, (short) 1));
          }
          admin.createTopics(batch).all().get(60, TimeUnit.SECONDS);
        }
        List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
        for (int t = 0; t < TOPICS; t++) {
          writes.add(producer.send(new ProducerRecord<>("flood-" + t, "k", "v")));
        }
        for (java.util.concurrent.Future<?> write : writes) {
          write.get(60, TimeUnit.SECONDS);
        }
        assertThat(descriptors(broker)).isLessThanOrEqualTo(LIMIT);
        assertThat(metric(broker, "coordinator_segment_files_open"))
            .isLessThanOrEqualTo(LIMIT / 4 + 2);
        assertSteadyServes(admin, producer, "after the flood");

        // 2. Connections that hold every remaining descriptor.
        List<Socket> hogs = new ArrayList<>();
        try {
          int last = -1;
          while (descriptors(broker) != last) {
            last = descriptors(broker);
            for (int i = 0; i < 20; i++) {
              hogs.add(new Socket("127.0.0.1", broker.port()));
            }
            awaitDescriptorsSettle(broker);
          }
          assertThat(descriptors(broker)).isGreaterThanOrEqualTo(LIMIT - 2);

          // Creations fail with an answer, not a timeout; the others are still served.
          KafkaFuture<Void> starved =
              admin.createTopics(List.of(new NewTopic("starved", 1, (short) 1))).all();
          assertThatFailsWith(starved, KafkaStorageException.class);
          assertSteadyServes(admin, producer, "out of descriptors");
          assertThat(broker.isAlive()).isTrue();
        } finally {
          for (Socket hog : hogs) {
            hog.close();
          }
        }

        // 3. Recovered once the connections are gone.
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  admin
                      .createTopics(List.of(new NewTopic("after-starvation", 1, (short) 1)))
                      .all()
                      .get(10, TimeUnit.SECONDS);
                  return true;
                });
        producer.send(new ProducerRecord<>("after-starvation", "k", "v")).get(30, TimeUnit.SECONDS);
        assertSteadyServes(admin, producer, "after recovery");
      }
      assertThat(Files.readString(broker.log())).doesNotContain("OutOfMemoryError");
    }
  }

  /** Metadata and a write to an existing topic are answered within a second. */
  static void assertSteadyServes(Admin admin, KafkaProducer<String, String> producer, String when)
      throws Exception {
    long start = System.nanoTime();
    assertThat(admin.describeTopics(List.of("steady")).allTopicNames().get(10, TimeUnit.SECONDS))
        .containsKey("steady");
    producer.send(new ProducerRecord<>("steady", "k", when)).get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("metadata and a produce %s", when)
        .isLessThan(Duration.ofSeconds(1));
  }

  static void assertThatFailsWith(KafkaFuture<Void> future, Class<? extends ApiException> error)
      throws InterruptedException {
    try {
      future.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected " + error.getSimpleName());
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(error).isNotInstanceOf(TimeoutException.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  static int descriptors(ChildBroker broker) throws IOException {
    try (Stream<Path> fds =
        Files.list(Path.of("/proc", String.valueOf(broker.processHandle().pid()), "fd"))) {
      return (int) fds.count();
    }
  }

  /** Waits until the broker has accepted (or stopped accepting) the connections just opened. */
  static void awaitDescriptorsSettle(ChildBroker broker) {
    int[] previous = {-1};
    Awaitility.await()
        .pollInterval(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              int now = descriptors(broker);
              boolean settled = now == previous[0];
              previous[0] = now;
              return settled;
            });
  }

  static double metric(ChildBroker broker, String name) throws Exception {
    String body = HttpText.get("http://127.0.0.1:" + broker.httpPort() + "/metrics");
    return body.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
