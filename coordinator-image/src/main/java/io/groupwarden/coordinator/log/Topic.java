package io.groupwarden.coordinator.log;

import java.util.List;
import org.apache.kafka.common.Uuid;

/** A topic: its name, its id (for the APIs that address topics by id), settings and partitions. */
public record Topic(String name, Uuid id, TopicConfig config, List<PartitionLog> partitions) {
  public PartitionLog partition(int index) {
    return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
  }
}
