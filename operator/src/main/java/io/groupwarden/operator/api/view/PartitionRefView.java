package io.groupwarden.operator.api.view;

import io.groupwarden.operator.governance.GroupSample.PartitionRef;

/** A topic partition. */
public record PartitionRefView(String topic, int partition) {
  public static PartitionRefView of(PartitionRef ref) {
    return new PartitionRefView(ref.topic(), ref.partition());
  }
}
