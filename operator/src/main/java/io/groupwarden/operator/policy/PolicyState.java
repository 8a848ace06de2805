package io.groupwarden.operator.policy;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lag.RecordTimeReader.RecordAt;
import io.groupwarden.operator.lag.history.LagHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator remembers of one policy between cycles: the lag history of its groups, the
 * hysteresis of their problems, the timestamps of oldest unconsumed records read lately, and the
 * recent scale recommendations. The history is restored from the policy's snapshots when the state
 * is created (see {@code snapshot.HistorySnapshots}).
 */
final class PolicyState {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyState.class);

  /**
   * The most records read per cycle, the furthest behind first: when a policy starts on a large
   * cluster every lagging partition lacks a history, and reading them all at once would make one
   * cycle fetch a batch from each; the rest are read in the cycles that follow.
   */
  static final int MAX_RECORD_READS = 1_000;

  private final LagHistory history;
  private Map<RecordAt, Long> recordTimes = Map.of();
  private LagSnapshot lastSnapshot;
  private List<TimedReplicas> recommendations = List.of();

  PolicyState(PolicySettings settings) {
    this(LagHistory.sizedFor(settings));
  }

  PolicyState(LagHistory history) {
    this.history = history;
  }

  /** The groups' lag history, for the insight API and the snapshots. */
  LagHistory history() {
    return history;
  }

  /** Where the policy's samples come from: a collection taken at or after a given time. */
  @FunctionalInterface
  interface LagSource {
    LagSnapshot read(Instant notBefore);
  }

  /** Where the timestamps of records come from: those of the wanted records that could be read. */
  @FunctionalInterface
  interface RecordSource {
    Map<RecordAt, Long> read(Set<RecordAt> wanted);
  }

  /**
   * Samples the groups, unless the last sample is more recent than most of an interval: samples
   * spaced closer than the interval would shorten the time the history covers, so a reconcile
   * triggered early (a spec change) re-evaluates the last sample instead.
   */
  LagSnapshot sample(LagSource source, RecordSource records, PolicySettings settings, Instant now) {
    history.resizeFor(settings);
    Duration minimumSpacing = settings.interval().multipliedBy(8).dividedBy(10);
    if (lastSnapshot != null && lastSnapshot.time().plus(minimumSpacing).isAfter(now)) {
      return lastSnapshot;
    }
    // A shared collection up to half an interval old will do, but never one so close to the last
    // sample that the history's spacing shrinks.
    Instant notBefore = now.minus(settings.interval().dividedBy(2));
    if (lastSnapshot != null && lastSnapshot.time().plus(minimumSpacing).isAfter(notBefore)) {
      notBefore = lastSnapshot.time().plus(minimumSpacing);
    }
    LagSnapshot snapshot = withRecordTimes(source.read(notBefore), records);
    List<String> present = new ArrayList<>();
    for (GroupSample group : snapshot.groups()) {
      history.record(group);
      present.add(group.groupId());
    }
    history.retainOnly(present);
    lastSnapshot = snapshot;
    return snapshot;
  }

  /**
   * The snapshot with the timestamp of each oldest unconsumed record the history cannot date by
   * itself, read in one batched fetch; a record read in the previous cycle is not read again.
   */
  private LagSnapshot withRecordTimes(LagSnapshot snapshot, RecordSource records) {
    Map<RecordAt, Long> lagOf = new HashMap<>();
    for (GroupSample group : snapshot.groups()) {
      for (PartitionSample partition : history.recordTimesWanted(group)) {
        lagOf.merge(recordAt(partition), MessageLag.of(partition), Math::max);
      }
    }
    Map<RecordAt, Long> times = new HashMap<>();
    List<RecordAt> unread = new ArrayList<>();
    for (RecordAt record : lagOf.keySet()) {
      Long known = recordTimes.get(record);
      if (known != null) {
        times.put(record, known);
      } else {
        unread.add(record);
      }
    }
    if (!unread.isEmpty()) {
      unread.sort(Comparator.comparing((RecordAt r) -> lagOf.get(r)).reversed());
      Set<RecordAt> batch =
          new HashSet<>(unread.subList(0, Math.min(MAX_RECORD_READS, unread.size())));
      try {
        times.putAll(records.read(batch));
      } catch (KafkaException e) {
        LOG.debug("Cannot read the oldest unconsumed records: {}", e.toString());
      }
    }
    recordTimes = Map.copyOf(times);
    if (times.isEmpty()) {
      return snapshot;
    }
    return snapshot.withEachPartition(
        partition -> {
          Long time = times.get(recordAt(partition));
          return time == null ? partition : partition.withOldestUnconsumedTime(time);
        });
  }

  private static RecordAt recordAt(PartitionSample partition) {
    return new RecordAt(
        new TopicPartition(partition.topic(), partition.partition()), MessageLag.origin(partition));
  }

  /**
   * Evaluates every group of the snapshot against the settings, each with the hysteresis state its
   * previous evaluation left, which the history keeps (and the snapshots carry) for the next.
   */
  List<GroupEvaluation> evaluate(LagSnapshot snapshot, PolicySettings settings) {
    List<GroupEvaluation> evaluations = new ArrayList<>();
    for (GroupSample group : snapshot.groups()) {
      history.evaluate(group.groupId(), settings, snapshot.time()).ifPresent(evaluations::add);
    }
    return evaluations;
  }

  List<TimedReplicas> recommendations() {
    return recommendations;
  }

  void recommendations(List<TimedReplicas> recommendations) {
    this.recommendations = List.copyOf(recommendations);
  }

  /** Forgets the last sample so the next cycle reads the cluster again. */
  void forgetLastSample() {
    lastSnapshot = null;
  }
}
