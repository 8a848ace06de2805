package io.groupwarden.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TopicPartitionsTest {

  @Test
  void groupsPartitionsByTopicInNameOrderWithEachTopicsNumbersAscending() {
    List<TopicPartition> partitions =
        List.of(
            new TopicPartition("orders", 2),
            new TopicPartition("audit", 1),
            new TopicPartition("orders", 0),
            new TopicPartition("audit", 0),
            new TopicPartition("orders", 1));

    assertThat(TopicPartitions.byTopic(partitions))
        .containsExactly(Map.entry("audit", List.of(0, 1)), Map.entry("orders", List.of(0, 1, 2)));
    assertThat(TopicPartitions.byTopic(List.of())).isEmpty();
  }
}
