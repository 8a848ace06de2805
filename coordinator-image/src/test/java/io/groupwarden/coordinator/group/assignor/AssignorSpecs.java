package io.groupwarden.coordinator.group.assignor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberSubscription;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;

/**
 * Plain-value inputs for assignors: members with subscriptions and current assignments (for the
 * assignor tests and benchmark).
 */
public final class AssignorSpecs {
  private AssignorSpecs() {}

  public record Subscription(Set<Uuid> subscribedTopicIds) implements MemberSubscription {
    @Override
    public Optional<String> rackId() {
      return Optional.empty();
    }

    @Override
    public Optional<String> instanceId() {
      return Optional.empty();
    }
  }

  record Spec(Map<String, Set<Uuid>> subscriptions, Map<String, Map<Uuid, Set<Integer>>> current)
      implements GroupSpec {
    @Override
    public Collection<String> memberIds() {
      return subscriptions.keySet();
    }

    @Override
    public SubscriptionType subscriptionType() {
      return Set.copyOf(subscriptions.values()).size() <= 1
          ? SubscriptionType.HOMOGENEOUS
          : SubscriptionType.HETEROGENEOUS;
    }

    @Override
    public boolean isPartitionAssigned(Uuid topicId, int partition) {
      return current.values().stream()
          .anyMatch(a -> a.getOrDefault(topicId, Set.of()).contains(partition));
    }

    @Override
    public boolean isPartitionAssignable(Uuid topicId, int partition) {
      return true;
    }

    @Override
    public MemberSubscription memberSubscription(String memberId) {
      return new Subscription(subscriptions.get(memberId));
    }

    @Override
    public MemberAssignment memberAssignment(String memberId) {
      Map<Uuid, Set<Integer>> partitions = current.getOrDefault(memberId, Map.of());
      return () -> partitions;
    }
  }

  public static SubscribedTopicDescriber topics(Map<Uuid, Integer> partitions) {
    return new SubscribedTopicDescriber() {
      @Override
      public int numPartitions(Uuid topicId) {
        return partitions.getOrDefault(topicId, -1);
      }

      @Override
      public Set<String> racksForPartition(Uuid topicId, int partition) {
        return Set.of();
      }
    };
  }

  /** An assignment as plain maps, to feed back as the next run's current assignment. */
  static Map<String, Map<Uuid, Set<Integer>>> plain(GroupAssignment assignment) {
    Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
    assignment.members().forEach((m, a) -> result.put(m, a.partitions()));
    return result;
  }

  static int count(Map<Uuid, Set<Integer>> partitions) {
    return partitions.values().stream().mapToInt(Set::size).sum();
  }
}
