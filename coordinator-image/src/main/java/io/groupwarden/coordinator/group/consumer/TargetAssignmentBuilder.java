package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.TopicMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberSubscription;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;

/**
 * Runs a server-side assignor over a group's members: their subscriptions (topic ids) and the
 * current target assignment, from which a sticky assignor starts.
 */
final class TargetAssignmentBuilder {
  private TargetAssignmentBuilder() {}

  private record Subscription(
      Optional<String> rackId, Optional<String> instanceId, Set<Uuid> subscribedTopicIds)
      implements MemberSubscription {}

  private record Spec(
      Map<String, Subscription> subscriptions,
      Map<String, Assignment> current,
      SubscriptionType subscriptionType)
      implements GroupSpec {
    @Override
    public Collection<String> memberIds() {
      return subscriptions.keySet();
    }

    @Override
    public boolean isPartitionAssigned(Uuid topicId, int partition) {
      for (Assignment assignment : current.values()) {
        if (assignment.contains(topicId, partition)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean isPartitionAssignable(Uuid topicId, int partition) {
      return true;
    }

    @Override
    public MemberSubscription memberSubscription(String memberId) {
      return subscriptions.get(memberId);
    }

    @Override
    public MemberAssignment memberAssignment(String memberId) {
      Assignment assignment = current.getOrDefault(memberId, Assignment.EMPTY);
      return assignment::partitions;
    }
  }

  /**
   * The new target assignment of every member. {@code subscribedTopicIds} gives each member's
   * topics (names and regular expression resolved).
   */
  static Map<String, Assignment> build(
      Collection<ConsumerGroupMember> members,
      java.util.function.Function<ConsumerGroupMember, Set<Uuid>> subscribedTopicIds,
      Map<String, Assignment> currentTarget,
      TopicMetadata topics,
      ConsumerGroupPartitionAssignor assignor) {
    Map<String, Subscription> subscriptions = new HashMap<>();
    Set<Uuid> first = null;
    boolean homogeneous = true;
    for (ConsumerGroupMember member : members) {
      Set<Uuid> topicIds = subscribedTopicIds.apply(member);
      if (first == null) {
        first = topicIds;
      } else if (homogeneous && !first.equals(topicIds)) {
        homogeneous = false;
      }
      subscriptions.put(
          member.memberId(),
          new Subscription(
              Optional.ofNullable(member.metadata().rackId()),
              Optional.ofNullable(member.instanceId()),
              topicIds));
    }
    Spec spec =
        new Spec(
            subscriptions,
            currentTarget,
            homogeneous ? SubscriptionType.HOMOGENEOUS : SubscriptionType.HETEROGENEOUS);
    SubscribedTopicDescriber describer =
        new SubscribedTopicDescriber() {
          @Override
          public int numPartitions(Uuid topicId) {
            TopicMetadata.Topic topic = topics.byId(topicId);
            return topic == null ? -1 : topic.partitions();
          }

          @Override
          public Set<String> racksForPartition(Uuid topicId, int partition) {
            return Set.of();
          }
        };
    GroupAssignment assignment = assignor.assign(spec, describer);
    Map<String, Assignment> result = new HashMap<>();
    for (ConsumerGroupMember member : members) {
      MemberAssignment given = assignment.members().get(member.memberId());
      result.put(
          member.memberId(), given == null ? Assignment.EMPTY : new Assignment(given.partitions()));
    }
    return result;
  }
}
