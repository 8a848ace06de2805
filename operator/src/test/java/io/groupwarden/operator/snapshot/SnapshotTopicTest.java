package io.groupwarden.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The snapshot topic of one cluster, shared by its policies, against a real broker: reads asked for
 * while one is under way are made together in one pass, and each reader still gets exactly the
 * records from its own position on.
 */
class SnapshotTopicTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void readsAskedForMeanwhileAreMadeInOnePassEachFromItsOwnPosition() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    KafkaConnection connection = KafkaConnection.plaintext(broker.bootstrapServers());
    try (SnapshotTopic topic = new SnapshotTopic("snapshot-topic-test", connection, TIMEOUT);
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      topic.ensure(admin, Duration.ofHours(1));
      for (int i = 0; i < 6; i++) {
        topic.send(bytes("key-" + i), bytes("value-" + i));
      }
      topic.flush();
      TopicPartition partition = new TopicPartition("snapshot-topic-test", 0);

      int readers = 8;
      ExecutorService threads = Executors.newFixedThreadPool(readers);
      List<List<String>> seen = new ArrayList<>();
      List<Future<Optional<Map<TopicPartition, Long>>>> reached = new ArrayList<>();
      long passesBefore;
      try {
        // while this thread holds the reader, every read queues; then one pass serves them all
        synchronized (topic) {
          passesBefore = topic.passes();
          for (int r = 0; r < readers; r++) {
            List<String> mine = new CopyOnWriteArrayList<>();
            seen.add(mine);
            // odd readers continue from offset 4, even ones read from the start
            Map<TopicPartition, Long> from = r % 2 == 0 ? Map.of() : Map.of(partition, 4L);
            reached.add(
                threads.submit(
                    () ->
                        topic.read(
                            from,
                            (key, value) -> mine.add(new String(value, StandardCharsets.UTF_8)))));
          }
          await().atMost(Duration.ofSeconds(30)).until(() -> topic.queuedReads() == readers);
        }
        for (Future<Optional<Map<TopicPartition, Long>>> one : reached) {
          assertThat(one.get()).contains(Map.of(partition, 6L));
        }
      } finally {
        threads.shutdownNow();
      }

      assertThat(topic.passes()).isEqualTo(passesBefore + 1);
      for (int r = 0; r < readers; r++) {
        if (r % 2 == 0) {
          assertThat(seen.get(r))
              .containsExactly("value-0", "value-1", "value-2", "value-3", "value-4", "value-5");
        } else {
          assertThat(seen.get(r)).containsExactly("value-4", "value-5");
        }
      }

      // a reader alone later reads on its own
      List<String> later = new ArrayList<>();
      topic.read(Map.of(partition, 5L), (key, value) -> later.add(new String(value)));
      assertThat(later).containsExactly("value-5");
      assertThat(topic.passes()).isEqualTo(passesBefore + 2);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
