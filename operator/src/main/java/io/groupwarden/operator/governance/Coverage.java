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
    int assigned = 0;
    for (MemberSample member : sample.members()) {
      assigned += member.assignment().size();
    }
    Map<PartitionRef, String> owners = new HashMap<>(assigned * 4 / 3 + 1);
    for (MemberSample member : sample.members()) {
      for (PartitionRef ref : member.assignment()) {
        owners.putIfAbsent(ref, member.identity());
      }
    }
    return owners;
  }

  /** The coverage of the sample's partitions by the given owners, in [0, 1]. */
  public static double of(GroupSample sample, Map<PartitionRef, String> owners) {
    int owned = 0;
    for (PartitionSample partition : sample.partitions()) {
      if (owners.containsKey(partition.ref())) {
        owned++;
      }
    }
    return share(owned, sample.partitions().size());
  }

  /** {@code owned / partitions}, and 1 when there are no partitions. */
  public static double share(int owned, int partitions) {
    return partitions == 0 ? 1.0 : (double) owned / partitions;
  }
}
