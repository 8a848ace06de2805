package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import java.util.HashMap;
import java.util.Map;

/**
 * Which member owns which partition, and the share of the group's partitions that some member owns:
 * partitions assigned to a member / partitions of the group's topics; 1 when there are no
 * partitions.
 */
public final class Coverage {
  private Coverage() {}

  /** The identity of the owning member per assigned partition (the first, if several claim it). */
  public static Map<PartitionRef, String> owners(GroupSample sample) {
    Map<PartitionRef, String> owners = new HashMap<>();
    for (MemberSample member : sample.members()) {
      for (PartitionRef ref : member.assignment()) {
        owners.putIfAbsent(ref, member.identity());
      }
    }
    return owners;
  }

  /** The coverage of the sample's partitions by the given owners, in [0, 1]. */
  public static double of(GroupSample sample, Map<PartitionRef, String> owners) {
    if (sample.partitions().isEmpty()) {
      return 1.0;
    }
    int owned = 0;
    for (PartitionSample partition : sample.partitions()) {
      if (owners.containsKey(partition.ref())) {
        owned++;
      }
    }
    return (double) owned / sample.partitions().size();
  }
}
