package io.groupwarden.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Workers of one sink share its partitions, and a worker that restarts under its static instance id
 * (as a StatefulSet pod does) gets its partitions back without a rebalance of the others.
 */
class SinkGroupTest {

  @Test
  void threeWorkersShareSixPartitionsAndARestartCausesNoRebalance() {
    KafkaBroker broker = KafkaBroker.shared();
    try (KafkaFixture kafka = new KafkaFixture(broker.bootstrapServers());
        MongoWireServer mongo = MongoWireServer.start()) {
      String topic = "shared";
      kafka.createTopic(topic, 6);
      List<WorkerRunner> workers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        workers.add(WorkerRunner.start(environment(broker, mongo, topic, i)));
      }
      try {
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> workers.stream().allMatch(w -> w.worker().assignment().size() == 2));
        Set<TopicPartition> all = new HashSet<>();
        workers.forEach(w -> all.addAll(w.worker().assignment()));
        assertThat(all).hasSize(6);

        Set<TopicPartition> before = Set.copyOf(workers.get(2).worker().assignment());
        int callbacksOf0 = workers.get(0).worker().rebalanceCallbacks();
        int callbacksOf1 = workers.get(1).worker().rebalanceCallbacks();

        workers.get(2).stop(); // a rolling restart: the pod stops without leaving the group
        workers.set(2, WorkerRunner.start(environment(broker, mongo, topic, 2)));

        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> workers.get(2).worker().assignment().equals(before));
        kafka.produce(
            topic,
            6,
            List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}", "{\"a\":4}", "{\"a\":5}", "{\"a\":6}"));
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> mongo.collection(topic).countDocuments() == 6);
        assertThat(workers.get(0).worker().rebalanceCallbacks()).isEqualTo(callbacksOf0);
        assertThat(workers.get(1).worker().rebalanceCallbacks()).isEqualTo(callbacksOf1);
      } finally {
        workers.forEach(WorkerRunner::close);
      }
    }
  }

  private static Map<String, String> environment(
      KafkaBroker broker, MongoWireServer mongo, String topic, int index) {
    return WorkerRunner.environment(
        broker.bootstrapServers(),
        topic,
        topic + "-group",
        topic + "-worker-" + index,
        mongo.uri(),
        topic);
  }
}
