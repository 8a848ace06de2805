package io.groupwarden.coordinator.bench;

import io.groupwarden.coordinator.group.assignor.AssignorSpecs;
import io.groupwarden.coordinator.group.assignor.AssignorSpecs.Subscription;
import io.groupwarden.coordinator.group.assignor.RangeAssignor;
import io.groupwarden.coordinator.group.assignor.UniformAssignor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static final int WARM_UP = Integer.getInteger("bench.assignor.warmUp", 20);
  static final int RUNS = Integer.getInteger("bench.assignor.runs", 31);

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
      Map<Uuid, Set<Integer>> partitions =
          current.getOrDefault(memberId, java.util.Collections.emptyMap());
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
    SubscribedTopicDescriber describer = AssignorSpecs.topics(counts);
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
        "%nassignors: %,d members, %d topics x %,d partitions (homogeneous); median CPU time"
            + " of %d runs, alternating, after %d warm-up runs%n",
        MEMBERS, TOPICS, PARTITIONS_PER_TOPIC, RUNS, WARM_UP);
    System.out.printf(
        "%-8s %-26s %12s %12s %8s%n", "assignor", "case", "groupwarden", "kafka 4.4", "ratio");
    pairs.forEach(
        (name, pair) -> {
          Spec empty = new Spec(members, subscription, Map.of(), Map.of());
          List<Spec> joined = new ArrayList<>();
          for (ConsumerGroupPartitionAssignor assignor : pair) {
            GroupAssignment first = assignor.assign(empty, describer);
            Map<String, Map<Uuid, Set<Integer>>> current = new HashMap<>();
            Map<Uuid, Set<Integer>> assigned = new HashMap<>();
            first
                .members()
                .forEach(
                    (m, a) -> {
                      // Kafka's assignors insist on immutable maps, as its coordinator passes.
                      current.put(m, java.util.Collections.unmodifiableMap(a.partitions()));
                      a.partitions()
                          .forEach(
                              (t, ps) ->
                                  assigned
                                      .computeIfAbsent(t, x -> new java.util.HashSet<>())
                                      .addAll(ps));
                    });
            joined.add(new Spec(grown, subscription, current, assigned));
          }
          double[] fresh =
              medianCpuMs(
                  () -> pair[0].assign(empty, describer), () -> pair[1].assign(empty, describer));
          double[] join =
              medianCpuMs(
                  () -> pair[0].assign(joined.get(0), describer),
                  () -> pair[1].assign(joined.get(1), describer));
          print(name, "first assignment", fresh);
          print(name, "one member joins (sticky)", join);
        });
  }

  private static void print(String name, String what, double[] ms) {
    System.out.printf(
        "%-8s %-26s %10.2f ms %10.2f ms %7.2fx%n", name, what, ms[0], ms[1], ms[1] / ms[0]);
  }

  /**
   * The median CPU time of this thread per run, ours and theirs alternating so that both meet the
   * same machine: the CPU time varies far less with a busy machine than the wall clock.
   */
  private static double[] medianCpuMs(Runnable ours, Runnable theirs) {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < WARM_UP; i++) {
      ours.run();
      theirs.run();
    }
    double[][] times = new double[2][RUNS];
    for (int i = 0; i < RUNS; i++) {
      Runnable[] order = i % 2 == 0 ? new Runnable[] {ours, theirs} : new Runnable[] {theirs, ours};
      for (Runnable run : order) {
        long start = threads.getCurrentThreadCpuTime();
        run.run();
        times[run == ours ? 0 : 1][i] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
      }
    }
    Arrays.sort(times[0]);
    Arrays.sort(times[1]);
    return new double[] {times[0][RUNS / 2], times[1][RUNS / 2]};
  }
}
