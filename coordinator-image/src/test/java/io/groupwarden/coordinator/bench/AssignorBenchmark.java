package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.group.assignor.RangeAssignor;
import io.groupwarden.coordinator.group.assignor.UniformAssignor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Our server-side assignors against Apache Kafka's own ({@code UniformAssignor}, {@code
 * RangeAssignor} of kafka-group-coordinator 4.4) on the same inputs: 1,000 members subscribed to 10
 * topics of 1,000 partitions (10,000 partitions), a first assignment and the one after an 1,001st
 * member joins. Each case is warmed up, then timed; the median is reported. Not a test: run it with
 * {@code ./mvnw -B -pl coordinator-image -am -Pbench -DskipTests verify -Dbench.phases=assignors}.
 */
public final class AssignorBenchmark {
  static final int MEMBERS = Integer.getInteger("bench.assignor.members", 1_000);
  static final int TOPICS = 10;
  static final int PARTITIONS_PER_TOPIC = Integer.getInteger("bench.assignor.partitions", 1_000);
  static final int WARM_UP = 5;
  static final int RUNS = 15;

  private record Subscription(Set<Uuid> subscribedTopicIds) implements MemberSubscription {
    @Override
    public Optional<String> rackId() {
      return Optional.empty();
    }

    @Override
    public Optional<String> instanceId() {
      return Optional.empty();
    }
  }

  /** A homogeneous group with a current assignment (possibly empty). */
  private record Spec(
      List<String> members,
      Subscription subscription,
      Map<String, Map<Uuid, Set<Integer>>> current,
      Map<Uuid, Set<Integer>> assigned)
      implements GroupSpec {
    @Override
    public Collection<String> memberIds() {
      return members;
    }

    @Override
    public SubscriptionType subscriptionType() {
      return SubscriptionType.HOMOGENEOUS;
    }

    @Override
    public boolean isPartitionAssigned(Uuid topicId, int partition) {
      return assigned.getOrDefault(topicId, Set.of()).contains(partition);
    }

    @Override
    public boolean isPartitionAssignable(Uuid topicId, int partition) {
      return true;
    }

    @Override
    public MemberSubscription memberSubscription(String memberId) {
      return subscription;
    }

    @Override
    public MemberAssignment memberAssignment(String memberId) {
      Map<Uuid, Set<Integer>> partitions = current.getOrDefault(memberId, Map.of());
      return () -> partitions;
    }
  }

  public static void main(String[] args) {
    List<Uuid> topicIds = new ArrayList<>();
    Map<Uuid, Integer> counts = new HashMap<>();
    for (int t = 0; t < TOPICS; t++) {
      Uuid id = new Uuid(42, t + 1);
      topicIds.add(id);
      counts.put(id, PARTITIONS_PER_TOPIC);
    }
    SubscribedTopicDescriber describer =
        new SubscribedTopicDescriber() {
          @Override
          public int numPartitions(Uuid topicId) {
            return counts.getOrDefault(topicId, -1);
          }

          @Override
          public Set<String> racksForPartition(Uuid topicId, int partition) {
            return Set.of();
          }
        };
    Subscription subscription = new Subscription(Set.copyOf(topicIds));
    List<String> members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      members.add(Uuid.randomUuid().toString());
    }
    List<String> grown = new ArrayList<>(members);
    grown.add(Uuid.randomUuid().toString());

    Map<String, ConsumerGroupPartitionAssignor[]> pairs = new LinkedHashMap<>();
    pairs.put(
        "uniform",
        new ConsumerGroupPartitionAssignor[] {
          new UniformAssignor(), new org.apache.kafka.coordinator.group.assignor.UniformAssignor()
        });
    pairs.put(
        "range",
        new ConsumerGroupPartitionAssignor[] {
          new RangeAssignor(), new org.apache.kafka.coordinator.group.assignor.RangeAssignor()
        });
    System.out.printf(
        "%nassignors: %,d members, %d topics x %,d partitions (homogeneous); median of %d runs"
            + " after %d warm-up runs%n",
        MEMBERS, TOPICS, PARTITIONS_PER_TOPIC, RUNS, WARM_UP);
    System.out.printf(
        "%-8s %-26s %12s %12s %8s%n", "assignor", "case", "groupwarden", "kafka 4.4", "ratio");
    pairs.forEach(
        (name, pair) -> {
          double[] fresh = new double[2];
          double[] join = new double[2];
          for (int i = 0; i < 2; i++) {
            ConsumerGroupPartitionAssignor assignor = pair[i];
            Spec empty = new Spec(members, subscription, Map.of(), Map.of());
            fresh[i] = medianMs(() -> assignor.assign(empty, describer));
            GroupAssignment first = assignor.assign(empty, describer);
            Map<String, Map<Uuid, Set<Integer>>> current = new HashMap<>();
            Map<Uuid, Set<Integer>> assigned = new HashMap<>();
            first
                .members()
                .forEach(
                    (m, a) -> {
                      current.put(m, a.partitions());
                      a.partitions()
                          .forEach(
                              (t, ps) ->
                                  assigned
                                      .computeIfAbsent(t, x -> new java.util.HashSet<>())
                                      .addAll(ps));
                    });
            Spec joined = new Spec(grown, subscription, current, assigned);
            join[i] = medianMs(() -> assignor.assign(joined, describer));
          }
          print(name, "first assignment", fresh);
          print(name, "one member joins (sticky)", join);
        });
  }

  private static void print(String name, String what, double[] ms) {
    System.out.printf(
        "%-8s %-26s %10.2f ms %10.2f ms %7.2fx%n", name, what, ms[0], ms[1], ms[1] / ms[0]);
  }

  private static double medianMs(Runnable run) {
    for (int i = 0; i < WARM_UP; i++) {
      run.run();
    }
    double[] times = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      run.run();
      times[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(times);
    return times[RUNS / 2];
  }
}
