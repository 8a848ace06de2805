package io.groupwarden.operator.governance;

import io.groupwarden.operator.governance.GroupEvaluation.LossRisk;
import io.groupwarden.operator.governance.GroupEvaluation.PartitionLag;
import io.groupwarden.operator.governance.GroupEvaluation.RetentionOverrun;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.StuckPartitionDetector.Detection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass over the newest sample's partitions finds, before any hysteresis: lag, lag in time,
 * SLO tally, stuck partitions, catch-up, records lost and at risk, ownership.
 */
final class PartitionFacts {
  final long[] lags;
  final double[] seconds;
  int known;
  long totalLag;
  long recordsLost;
  final List<PartitionLag> partitions;
  final SloCompliance slo;
  final Map<Integer, Detection> stuck = new LinkedHashMap<>();
  final CatchUp[] catchUps;
  final boolean[] standing;
  final Map<PartitionRef, RetentionOverrun> overruns = new HashMap<>();
  final Map<PartitionRef, LossRisk> lossRisks = new HashMap<>();
  final Map<PartitionRef, String> owners;
  final List<PartitionRef> unowned = new ArrayList<>();
  int owned;
  final List<String> topics = new ArrayList<>();

  private PartitionFacts(int count, SloCompliance slo, Map<PartitionRef, String> owners) {
    this.lags = new long[count];
    this.seconds = new double[count];
    this.catchUps = new CatchUp[count];
    this.standing = new boolean[count];
    this.partitions = new ArrayList<>(count);
    this.slo = slo;
    this.owners = owners;
  }

  static PartitionFacts gather(GroupTimeline timeline, PolicySettings settings, Instant now) {
    GroupSample latest = timeline.latest();
    List<PartitionSample> samples = latest.partitions();
    PartitionFacts facts =
        new PartitionFacts(
            samples.size(), SloCompliance.tally(settings, now), Coverage.owners(latest));
    int windowStart = oldestInWindow(timeline, samples.size(), now.minus(settings.sloWindow()));
    for (int i = 0; i < samples.size(); i++) {
      PartitionTimeline history = timeline.partition(i);
      facts.add(
          i, samples.get(i), history, Math.min(windowStart, history.size() - 1), settings, now);
    }
    facts.partitions.sort(Comparator.comparing(PartitionLag::ref));
    facts.unowned.sort(Comparator.naturalOrder());
    return facts;
  }

  /**
   * The age of the oldest sample within the SLO window, found once for the group: its partitions
   * share their sample times, the longest history holding them all.
   */
  private static int oldestInWindow(GroupTimeline timeline, int partitions, Instant windowStart) {
    PartitionTimeline longest = null;
    for (int i = 0; i < partitions; i++) {
      PartitionTimeline partition = timeline.partition(i);
      if (longest == null || partition.size() > longest.size()) {
        longest = partition;
      }
    }
    return longest == null ? -1 : longest.oldestAfter(windowStart.toEpochMilli());
  }

  private void add(
      int index,
      PartitionSample sample,
      PartitionTimeline history,
      int windowStart,
      PolicySettings settings,
      Instant now) {
    PartitionRef ref = sample.ref();
    String owner = owners.get(ref);
    long lag = MessageLag.of(sample);
    double lagSeconds = history.lagSeconds(0);
    lags[index] = lag;
    totalLag += lag;
    recordsLost += history.recordsLost();
    if (!Double.isNaN(lagSeconds)) {
      seconds[known++] = lagSeconds;
    }
    if (topics.isEmpty() || !topics.get(topics.size() - 1).equals(sample.topic())) {
      topics.add(sample.topic());
    }
    CatchUp catchUp = CatchUp.of(history, windowStart);
    catchUps[index] = catchUp;
    standing[index] = lag > 0 && stoodStill(history, windowStart);
    RetentionRisk risk = RetentionRisk.of(sample, lag, lagSeconds, catchUp);
    if (risk != null && risk.secondsUntilLoss() <= settings.sloWindow().toSeconds()) {
      lossRisks.put(ref, new LossRisk(ref, lag, lagSeconds, sample.retention(), risk));
    }
    if (MessageLag.lostToRetention(sample) > 0) {
      overruns.put(
          ref,
          new RetentionOverrun(
              ref,
              sample.committedOffset(),
              sample.logStartOffset(),
              history.recordsLost(),
              Instant.ofEpochMilli(history.overrunSinceMillis())));
    }
    partitions.add(
        new PartitionLag(
            ref,
            lag,
            Double.isNaN(lagSeconds) ? null : lagSeconds,
            sample.committedOffset(),
            MessageLag.from(sample),
            owner,
            history.recordsLost(),
            catchUp,
            risk == null ? null : risk.secondsUntilLoss()));
    slo.add(history);
    Detection finding =
        StuckPartitionDetector.detect(ref, history, owner != null, settings.stuckWindow(), now);
    if (finding != null) {
      stuck.put(index, finding);
    }
    if (owner != null) {
      owned++;
    } else {
      unowned.add(ref);
    }
  }

  /**
   * Whether the partition's committed offset did not move over the window (at least two samples in
   * it): nobody consumed it there, whatever the group's size.
   */
  private static boolean stoodStill(PartitionTimeline history, int oldest) {
    return oldest > 0
        && history.committed(0)
        && history.committed(oldest)
        && history.origin(0) == history.origin(oldest);
  }

  double[] knownSeconds() {
    return Arrays.copyOf(seconds, known);
  }

  /** The catch-up of the group over its partitions that are not in {@code skipped}. */
  CatchUp groupCatchUp(java.util.Set<Integer> skipped) {
    List<CatchUp> counted = new ArrayList<>(catchUps.length);
    for (int i = 0; i < catchUps.length; i++) {
      if (!skipped.contains(i)) {
        counted.add(catchUps[i]);
      }
    }
    return CatchUp.ofGroup(counted);
  }
}
