package io.groupwarden.operator.policy;

import static io.groupwarden.operator.support.OperatorTestEnvironment.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.OverrunStatus;
import io.groupwarden.operator.support.ConsumerLoop;
import io.groupwarden.operator.support.CustomResources;
import io.groupwarden.operator.support.OperatorTestEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status against the reference: for a workload on Apache Kafka 4.4 with every case the lag
 * definition distinguishes — partitions current, behind, never committed, committed below a log
 * start that DeleteRecords moved, and partitions no member is assigned — each partition's lag, each
 * group's coverage and its overrun partitions are computed here independently with the Admin client
 * ({@code listConsumerGroupOffsets}, {@code listOffsets}, {@code describeConsumerGroups}), the way
 * kafka-consumer-groups.sh does, and compared with what the operator reports in the status and on
 * {@code /metrics}.
 */
class LagParityIT {
  private static final String NS = "team-parity";
  private static final Pattern LAG_SERIES =
      Pattern.compile(
          "groupwarden_group_lag\\{group=\"([^\"]+)\",lagmonitor=\"\",namespace=\"team-parity\","
              + "partition=\"(\\d+)\",policy=\"parity\",topic=\"([^\"]+)\"} ([0-9.]+)");

  @RegisterExtension
  static final OperatorTestEnvironment env = OperatorTestEnvironment.inNamespace(NS);

  private static final CustomResources<ConsumerGroupPolicy, ConsumerGroupPolicyStatus> policies =
      env.resources(ConsumerGroupPolicy.class);

  /** What the reference computes for one partition. */
  private record Expected(long lag, Long committed, long logStart, boolean overrun) {}

  @Test
  void lagCoverageAndOverrunsEqualWhatTheAdminClientComputes() throws Exception {
    env.kafka().createTopic("parity-live", 3);
    env.kafka().createTopic("parity-stored", 4);
    env.kafka().createTopic("parity-plain", 2);
    env.kafka().produce("parity-live", 3, 30);
    env.kafka().produce("parity-stored", 4, 50);
    env.kafka().produce("parity-plain", 2, 10);
    // parity-mixed: offsets on parity-stored committed while the group is empty: current,
    // behind, none, and one that retention will overtake
    env.kafka()
        .commit(
            "parity-mixed",
            Map.of(
                new TopicPartition("parity-stored", 0), 50L,
                new TopicPartition("parity-stored", 1), 20L,
                new TopicPartition("parity-stored", 3), 5L));
    env.kafka().commit("parity-empty", "parity-plain", 3, 10);
    env.kafka()
        .admin()
        .deleteRecords(
            Map.of(
                new TopicPartition("parity-stored", 2), RecordsToDelete.beforeOffset(10),
                new TopicPartition("parity-stored", 3), RecordsToDelete.beforeOffset(30)))
        .all()
        .get();

    // then a live member joins parity-mixed for parity-live only, reads all of it and commits
    try (ConsumerLoop live =
        new ConsumerLoop(env.kafka().consumer("parity-mixed", null), List.of("parity-live"))) {
      await()
          .atMost(PATIENCE)
          .until(
              () -> committed(env.kafka().admin(), "parity-mixed"),
              offsets ->
                  offsets.keySet().stream().filter(tp -> tp.topic().equals("parity-live")).count()
                          == 3
                      && offsets.entrySet().stream()
                          .filter(e -> e.getKey().topic().equals("parity-live"))
                          .allMatch(e -> e.getValue() != null && e.getValue().offset() == 30));
      Instant settled = Instant.now();
      policies.applySpec("parity", env.policySpec("groupPattern: \"parity-.*\""));

      ConsumerGroupPolicyStatus status =
          policies.awaitStatus(
              "parity",
              s ->
                  s.lastEvaluationTime() != null
                      && Instant.parse(s.lastEvaluationTime()).isAfter(settled.plusSeconds(2))
                      && s.groups() != null
                      && s.groups().size() == 2);
      String metrics = env.scrape();

      for (String group : List.of("parity-mixed", "parity-empty")) {
        Map<TopicPartition, Expected> expected = reference(env.kafka().admin(), group);
        GroupStatus reported =
            status.groups().stream().filter(g -> g.groupId().equals(group)).findFirst().get();

        long[] lags = expected.values().stream().mapToLong(Expected::lag).sorted().toArray();
        assertThat(reported.lag().total()).as(group).isEqualTo(sum(lags));
        assertThat(reported.lag().max()).as(group).isEqualTo(lags[lags.length - 1]);
        assertThat(reported.lag().p50()).as(group).isEqualTo(nearestRank(lags, 50));
        assertThat(reported.lag().p95()).as(group).isEqualTo(nearestRank(lags, 95));
        assertThat(reported.coverage())
            .as(group)
            .isEqualTo(
                Math.round(coverage(env.kafka().admin(), group, expected) * 10_000) / 10_000.0);
        assertThat(partitionLags(metrics, group)).as(group).isEqualTo(lagsOf(expected));
        assertThat(overruns(reported)).as(group).isEqualTo(overrunsOf(expected));
        assertThat(reported.recordsLost())
            .as(group)
            .isEqualTo(
                expected.values().stream()
                    .filter(Expected::overrun)
                    .mapToLong(e -> e.logStart() - e.committed())
                    .sum());
        assertThat(uncommitted(reported)).as(group).isEqualTo(uncommittedOf(expected));
      }
      // the cases the workload was built to have are all there
      assertThat(overrunsOf(reference(env.kafka().admin(), "parity-mixed"))).hasSize(1);
      assertThat(uncommittedOf(reference(env.kafka().admin(), "parity-mixed"))).hasSize(1);
    }
  }

  // --- the reference, from the Admin client only ---------------------------------------------

  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
      throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  private static ConsumerGroupDescription describe(Admin admin, String group) throws Exception {
    return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
  }

  private static Map<TopicPartition, Expected> reference(Admin admin, String group)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
    Set<String> topics = new TreeSet<>();
    committed.keySet().forEach(tp -> topics.add(tp.topic()));
    for (MemberDescription member : describe(admin, group).members()) {
      member.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic()));
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
      description
          .partitions()
          .forEach(
              p -> {
                TopicPartition tp = new TopicPartition(description.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
              });
    }
    var ends = admin.listOffsets(latest).all().get();
    var starts = admin.listOffsets(earliest).all().get();
    Map<TopicPartition, Expected> expected = new HashMap<>();
    for (TopicPartition tp : latest.keySet()) {
      long end = ends.get(tp).offset();
      long start = starts.get(tp).offset();
      OffsetAndMetadata offset = committed.get(tp);
      Long at = offset == null ? null : offset.offset();
      boolean overrun = at != null && at < start;
      long lag = at == null || overrun ? end - start : Math.max(0, end - at);
      expected.put(tp, new Expected(lag, at, start, overrun));
    }
    return expected;
  }

  private static double coverage(Admin admin, String group, Map<TopicPartition, Expected> all)
      throws Exception {
    Set<TopicPartition> assigned = new HashSet<>();
    for (MemberDescription member : describe(admin, group).members()) {
      assigned.addAll(member.assignment().topicPartitions());
    }
    assigned.retainAll(all.keySet());
    return all.isEmpty() ? 1.0 : (double) assigned.size() / all.size();
  }

  private static long nearestRank(long[] sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long value : values) {
      total += value;
    }
    return total;
  }

  private static Map<String, Long> lagsOf(Map<TopicPartition, Expected> expected) {
    Map<String, Long> lags = new TreeMap<>();
    expected.forEach((tp, e) -> lags.put(tp.toString(), e.lag()));
    return lags;
  }

  private static Map<String, Long> partitionLags(String metrics, String group) {
    Map<String, Long> lags = new TreeMap<>();
    Matcher series = LAG_SERIES.matcher(metrics);
    while (series.find()) {
      if (series.group(1).equals(group)) {
        lags.put(
            series.group(3) + "-" + series.group(2), (long) Double.parseDouble(series.group(4)));
      }
    }
    return lags;
  }

  private static Set<String> overrunsOf(Map<TopicPartition, Expected> expected) {
    Set<String> overruns = new TreeSet<>();
    expected.forEach(
        (tp, e) -> {
          if (e.overrun()) {
            overruns.add(tp + "@" + e.committed() + "<" + e.logStart());
          }
        });
    return overruns;
  }

  private static Set<String> overruns(GroupStatus group) {
    Set<String> overruns = new TreeSet<>();
    List<OverrunStatus> reported =
        group.overrunPartitions() == null ? List.of() : group.overrunPartitions();
    reported.forEach(
        o ->
            overruns.add(
                o.topic()
                    + "-"
                    + o.partition()
                    + "@"
                    + o.committedOffset()
                    + "<"
                    + o.logStartOffset()));
    return overruns;
  }

  private static Set<String> uncommittedOf(Map<TopicPartition, Expected> expected) {
    Set<String> uncommitted = new TreeSet<>();
    expected.forEach(
        (tp, e) -> {
          if (e.committed() == null) {
            uncommitted.add(tp.toString());
          }
        });
    return uncommitted;
  }

  private static Set<String> uncommitted(GroupStatus group) {
    return group.uncommittedPartitions() == null
        ? Set.of()
        : new TreeSet<>(new ArrayList<>(group.uncommittedPartitions()));
  }
}
