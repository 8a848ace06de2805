package io.groupwarden.operator.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;

/** A deliberately unfair assignor for tests: every partition goes to the first member. */
public final class AllToOneAssignor implements ConsumerPartitionAssignor {
  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription subscription) {
    TreeSet<String> members = new TreeSet<>(subscription.groupSubscription().keySet());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Subscription member : subscription.groupSubscription().values()) {
      for (String topic : member.topics()) {
        Integer count = metadata.partitionCountForTopic(topic);
        for (int p = 0; count != null && p < count; p++) {
          TopicPartition tp = new TopicPartition(topic, p);
          if (!partitions.contains(tp)) {
            partitions.add(tp);
          }
        }
      }
    }
    Map<String, Assignment> assignments = new HashMap<>();
    for (String member : members) {
      assignments.put(
          member, new Assignment(member.equals(members.first()) ? partitions : List.of()));
    }
    return new GroupAssignment(assignments);
  }

  @Override
  public String name() {
    return "all-to-one";
  }
}
