package io.groupwarden.coordinator.group.assignor;

import static io.groupwarden.coordinator.group.assignor.AssignorSpecs.count;
import static io.groupwarden.coordinator.group.assignor.AssignorSpecs.plain;
import static io.groupwarden.coordinator.group.assignor.AssignorSpecs.topics;
import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.coordinator.group.assignor.AssignorSpecs.Spec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;

/** What every assignment by {@code uniform} and {@code range} must satisfy, on random groups. */
class AssignorPropertiesTest {
  static final List<Uuid> TOPIC_IDS = List.of(uuid(1), uuid(2), uuid(3), uuid(4));

  static Uuid uuid(int n) {
    return new Uuid(0, n);
  }

  /** A group: partition counts per topic, and each member's topics. */
  record Group(Map<Uuid, Integer> partitions, Map<String, Set<Uuid>> subscriptions) {}

  @Provide
  Arbitrary<Group> heterogeneousGroups() {
    Arbitrary<Map<Uuid, Integer>> partitions =
        Arbitraries.integers()
            .between(1, 40)
            .list()
            .ofSize(TOPIC_IDS.size())
            .map(
                counts -> {
                  Map<Uuid, Integer> map = new LinkedHashMap<>();
                  for (int i = 0; i < counts.size(); i++) {
                    map.put(TOPIC_IDS.get(i), counts.get(i));
                  }
                  return map;
                });
    Arbitrary<Set<Uuid>> subscription =
        Arbitraries.of(TOPIC_IDS).set().ofMinSize(1).ofMaxSize(TOPIC_IDS.size());
    Arbitrary<List<Set<Uuid>>> members = subscription.list().ofMinSize(1).ofMaxSize(20);
    return Combinators.combine(partitions, members)
        .as(
            (p, m) -> {
              Map<String, Set<Uuid>> subscriptions = new LinkedHashMap<>();
              for (int i = 0; i < m.size(); i++) {
                subscriptions.put("member-" + i, m.get(i));
              }
              return new Group(p, subscriptions);
            });
  }

  static Group homogeneous(int members, int partitions, int topics) {
    Map<Uuid, Integer> counts = new LinkedHashMap<>();
    for (int t = 0; t < topics; t++) {
      counts.put(TOPIC_IDS.get(t), partitions);
    }
    Map<String, Set<Uuid>> subscriptions = new LinkedHashMap<>();
    for (int i = 0; i < members; i++) {
      subscriptions.put("member-" + i, counts.keySet());
    }
    return new Group(counts, subscriptions);
  }

  static GroupAssignment assign(
      ConsumerGroupPartitionAssignor assignor,
      Group group,
      Map<String, Map<Uuid, Set<Integer>>> current) {
    return assignor.assign(new Spec(group.subscriptions(), current), topics(group.partitions()));
  }

  /** Each partition of a subscribed topic goes to exactly one member subscribed to it. */
  static void assertComplete(Group group, GroupAssignment assignment) {
    Map<String, Integer> owners = new HashMap<>();
    assignment
        .members()
        .forEach(
            (member, a) ->
                a.partitions()
                    .forEach(
                        (topicId, partitions) -> {
                          assertThat(group.subscriptions().get(member)).contains(topicId);
                          for (int p : partitions) {
                            assertThat(p).isBetween(0, group.partitions().get(topicId) - 1);
                            assertThat(owners.put(topicId + "-" + p, 1))
                                .as("partition %s-%d assigned twice", topicId, p)
                                .isNull();
                          }
                        }));
    Set<Uuid> subscribed = new HashSet<>();
    group.subscriptions().values().forEach(subscribed::addAll);
    int expected = subscribed.stream().mapToInt(t -> group.partitions().get(t)).sum();
    assertThat(owners).hasSize(expected);
  }

  static int spread(GroupAssignment assignment) {
    List<Integer> counts = new ArrayList<>();
    assignment.members().values().forEach(a -> counts.add(count(a.partitions())));
    return counts.stream().mapToInt(i -> i).max().orElse(0)
        - counts.stream().mapToInt(i -> i).min().orElse(0);
  }

  @Property
  void uniformAssignsEveryPartitionOnceWhateverTheSubscriptions(
      @ForAll("heterogeneousGroups") Group group) {
    assertComplete(group, assign(new UniformAssignor(), group, Map.of()));
  }

  @Property
  void rangeAssignsEveryPartitionOnceWhateverTheSubscriptions(
      @ForAll("heterogeneousGroups") Group group) {
    assertComplete(group, assign(new RangeAssignor(), group, Map.of()));
  }

  @Property
  void uniformIsBalancedWithinOneForIdenticalSubscriptions(
      @ForAll @IntRange(min = 1, max = 60) int members,
      @ForAll @IntRange(min = 0, max = 200) int partitions,
      @ForAll @IntRange(min = 1, max = 4) int topics) {
    Group group = homogeneous(members, partitions, topics);
    GroupAssignment assignment = assign(new UniformAssignor(), group, Map.of());
    assertComplete(group, assignment);
    assertThat(spread(assignment)).isLessThanOrEqualTo(1);
  }

  @Property
  void uniformWithDifferentSubscriptionsLeavesNoMoveThatWouldBalanceBetter(
      @ForAll("heterogeneousGroups") Group group) {
    GroupAssignment assignment = assign(new UniformAssignor(), group, Map.of());
    Map<String, Integer> counts = new HashMap<>();
    assignment.members().forEach((m, a) -> counts.put(m, count(a.partitions())));
    assignment
        .members()
        .forEach(
            (owner, a) ->
                a.partitions()
                    .keySet()
                    .forEach(
                        topicId ->
                            group
                                .subscriptions()
                                .forEach(
                                    (other, topics) -> {
                                      if (topics.contains(topicId)) {
                                        assertThat(counts.get(other))
                                            .as("%s could take a partition of %s", other, owner)
                                            .isGreaterThanOrEqualTo(counts.get(owner) - 1);
                                      }
                                    })));
  }

  @Property
  void whenAMemberJoinsOnlyPartitionsItTakesMove(
      @ForAll @IntRange(min = 1, max = 40) int members,
      @ForAll @IntRange(min = 1, max = 300) int partitions) {
    Group before = homogeneous(members, partitions, 2);
    GroupAssignment first = assign(new UniformAssignor(), before, Map.of());
    Map<String, Set<Uuid>> grown = new LinkedHashMap<>(before.subscriptions());
    grown.put("newcomer", before.partitions().keySet());
    Group after = new Group(before.partitions(), grown);
    GroupAssignment second = assign(new UniformAssignor(), after, plain(first));

    assertComplete(after, second);
    assertThat(spread(second)).isLessThanOrEqualTo(1);
    // Every partition that changed hands went to the newcomer.
    first
        .members()
        .forEach(
            (member, a) ->
                a.partitions()
                    .forEach(
                        (topicId, set) -> {
                          Set<Integer> kept =
                              second
                                  .members()
                                  .get(member)
                                  .partitions()
                                  .getOrDefault(topicId, Set.of());
                          Set<Integer> newcomer =
                              second
                                  .members()
                                  .get("newcomer")
                                  .partitions()
                                  .getOrDefault(topicId, Set.of());
                          for (int p : set) {
                            assertThat(kept.contains(p) || newcomer.contains(p)).isTrue();
                          }
                        }));
  }

  @Property
  void whenAMemberLeavesOnlyItsPartitionsMove(
      @ForAll @IntRange(min = 2, max = 40) int members,
      @ForAll @IntRange(min = 1, max = 300) int partitions,
      @ForAll @IntRange(min = 0, max = 39) int leaving) {
    Group before = homogeneous(members, partitions, 2);
    GroupAssignment first = assign(new UniformAssignor(), before, Map.of());
    String leaver = "member-" + (leaving % members);
    Map<String, Set<Uuid>> shrunk = new LinkedHashMap<>(before.subscriptions());
    shrunk.remove(leaver);
    Map<String, Map<Uuid, Set<Integer>>> current = plain(first);
    current.remove(leaver);
    Group after = new Group(before.partitions(), shrunk);
    GroupAssignment second = assign(new UniformAssignor(), after, current);

    assertComplete(after, second);
    assertThat(spread(second)).isLessThanOrEqualTo(1);
    current.forEach(
        (member, partitionsBefore) ->
            partitionsBefore.forEach(
                (topicId, set) ->
                    assertThat(second.members().get(member).partitions().get(topicId))
                        .as("%s keeps what it had", member)
                        .containsAll(set)));
  }

  @Property
  void rangeGivesAMemberTheSamePartitionsOfCoPartitionedTopics(
      @ForAll @IntRange(min = 1, max = 30) int members,
      @ForAll @IntRange(min = 1, max = 100) int partitions) {
    Group group = homogeneous(members, partitions, 3);
    GroupAssignment assignment = assign(new RangeAssignor(), group, Map.of());
    assertComplete(group, assignment);
    assignment
        .members()
        .values()
        .forEach(
            a -> {
              Set<Set<Integer>> distinct = new HashSet<>();
              for (Uuid topicId : group.partitions().keySet()) {
                distinct.add(new TreeSet<>(a.partitions().getOrDefault(topicId, Set.of())));
              }
              assertThat(distinct).hasSize(1);
            });
  }

  @Property
  void bothAreDeterministic(@ForAll("heterogeneousGroups") Group group) {
    for (ConsumerGroupPartitionAssignor assignor :
        List.<ConsumerGroupPartitionAssignor>of(new UniformAssignor(), new RangeAssignor())) {
      assertThat(plain(assign(assignor, group, Map.of())))
          .isEqualTo(plain(assign(assignor, group, Map.of())));
    }
  }
}
