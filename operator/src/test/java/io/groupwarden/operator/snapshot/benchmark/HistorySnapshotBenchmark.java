package io.groupwarden.operator.snapshot.benchmark;

import io.groupwarden.operator.benchmark.SelfMeasures;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.benchmark.HistoryScale;
import io.groupwarden.operator.insight.GroupTrend;
import io.groupwarden.operator.lag.history.LagHistory;
import io.groupwarden.operator.snapshot.SnapshotCodec;
import io.groupwarden.operator.snapshot.SnapshotCodec.GroupSnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What keeping history across restarts costs at the governance benchmark's scale: 10,000 groups
 * with 100,000 partitions, one hour of history at 30 s (every ring 123 samples), plus each group's
 * trend (one point per evaluation over the same window).
 *
 * <p>It reports the heap the history and the trends retain (used heap after full collections with
 * and without them), and per cycle: the governance cycle itself (record one sample per group and
 * evaluate every group, the peer in this run) next to the snapshot of every group (image, encode),
 * in thread CPU time, with the bytes written — both the cycle's share at the default of one
 * snapshot per group every 2 minutes (a quarter of the groups per 30 s cycle) and all groups at
 * once (what a replica writes when it stops); and the time a new leader needs to read every
 * snapshot back (decode, restore).
 *
 * <p>Run: {@code ./mvnw -B -q -pl operator -am -Psnapshot-benchmark process-test-classes}
 */
public final class HistorySnapshotBenchmark {
  private static final HistoryScale SCALE =
      new HistoryScale(10_000, 10, Duration.ofSeconds(30), 123);
  private static final int GROUPS = SCALE.groups();
  private static final int PARTITIONS_PER_GROUP = SCALE.partitionsPerGroup();
  private static final int HISTORY_SAMPLES = SCALE.historySamples();
  private static final int WARMUP_CYCLES = 5;
  private static final int MEASURED_CYCLES = 15;
  private static final String CLUSTER = "bench/policy";

  /** The default GROUPWARDEN_HISTORY_SNAPSHOT_EVERY of 2 minutes at a 30 s interval. */
  private static final int TURNS = 4;

  private final PolicySettings settings =
      new PolicySettings(
          SCALE.interval(),
          Duration.ofSeconds(60),
          null,
          0.95,
          Duration.ofHours(1),
          0.3,
          Duration.ofHours(1),
          70,
          Duration.ofHours(1),
          10,
          null,
          null);
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final SplittableRandom random = new SplittableRandom(7);
  private final long[][] logEnds = new long[GROUPS][PARTITIONS_PER_GROUP];
  private final long[][] committed = new long[GROUPS][PARTITIONS_PER_GROUP];

  public static void main(String[] args) {
    new HistorySnapshotBenchmark().run();
  }

  private void run() {
    System.out.println(SCALE.describe("History snapshots"));
    LagHistory history = LagHistory.sizedFor(settings);
    Map<String, GroupTrend> trends = new HashMap<>();
    long retained = SCALE.fillHistory(n -> cycle(history, trends, n));
    int cycle = HISTORY_SAMPLES;
    System.out.printf(
        Locale.ROOT,
        "retained heap, history and trends: %.1f MB (%d B per partition)%n",
        retained / 1e6,
        retained / SCALE.partitions());

    List<Long> cycleCpu = new ArrayList<>();
    List<Long> snapshotCpu = new ArrayList<>();
    List<Long> fullCpu = new ArrayList<>();
    long bytes = 0;
    long fullBytes = 0;
    for (int i = 0; i < WARMUP_CYCLES + MEASURED_CYCLES; i++, cycle++) {
      long start = threads.getCurrentThreadCpuTime();
      cycle(history, trends, cycle);
      long evaluated = threads.getCurrentThreadCpuTime();
      int turn = cycle % TURNS;
      long written =
          write(
              history, trends, SCALE.time(cycle), g -> Math.floorMod(g.hashCode(), TURNS) == turn);
      long snapshotted = threads.getCurrentThreadCpuTime();
      long all = write(history, trends, SCALE.time(cycle), g -> true);
      long full = threads.getCurrentThreadCpuTime();
      if (i >= WARMUP_CYCLES) {
        cycleCpu.add(evaluated - start);
        snapshotCpu.add(snapshotted - evaluated);
        fullCpu.add(full - snapshotted);
        bytes = Math.max(bytes, written);
        fullBytes = all;
      }
    }
    long cycleMedian = median(cycleCpu);
    long snapshotMedian = median(snapshotCpu);
    System.out.printf(
        Locale.ROOT,
        "governance cycle (record + evaluate), CPU median of %d: %.1f ms%n",
        MEASURED_CYCLES,
        cycleMedian / 1e6);
    System.out.printf(
        Locale.ROOT,
        "snapshots of a cycle (1/%d of the groups: image + encode), CPU median: %.1f ms,"
            + " p90 %.1f ms = %.2f x the cycle; at most %.1f MB (before the producer's lz4)%n",
        TURNS,
        snapshotMedian / 1e6,
        percentile(snapshotCpu, 0.9) / 1e6,
        (double) snapshotMedian / cycleMedian,
        bytes / 1e6);
    System.out.printf(
        Locale.ROOT,
        "snapshots of every group (on stopping), CPU median: %.1f ms = %.2f x the cycle;"
            + " %.1f MB, %d B per partition%n",
        median(fullCpu) / 1e6,
        (double) median(fullCpu) / cycleMedian,
        fullBytes / 1e6,
        fullBytes / SCALE.partitions());

    // a new leader reads every snapshot back
    List<byte[]> values = new ArrayList<>();
    Instant takenAt = SCALE.time(cycle);
    history.images(
        image ->
            values.add(
                SnapshotCodec.encode(
                    new GroupSnapshot(
                        CLUSTER, takenAt, image, trends.get(image.groupId()).points()))));
    List<Long> restoreCpu = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      LagHistory restored = LagHistory.sizedFor(settings);
      long start = threads.getCurrentThreadCpuTime();
      for (int g = 0; g < values.size(); g++) {
        restored.restore(SnapshotCodec.decode(CLUSTER, "g" + g, values.get(g)).history());
      }
      restoreCpu.add(threads.getCurrentThreadCpuTime() - start);
      Reference.reachabilityFence(restored);
    }
    System.out.printf(
        Locale.ROOT,
        "restore of every group (decode + restore), CPU median of 5: %.1f ms%n",
        median(restoreCpu) / 1e6);
    Reference.reachabilityFence(history);
  }

  /** Encodes the snapshots of the groups {@code due} accepts; returns their bytes. */
  private static long write(
      LagHistory history,
      Map<String, GroupTrend> trends,
      Instant takenAt,
      java.util.function.Predicate<String> due) {
    long[] written = {0};
    history.images(
        due,
        image ->
            written[0] +=
                SnapshotCodec.encode(
                        new GroupSnapshot(
                            CLUSTER, takenAt, image, trends.get(image.groupId()).points()))
                    .length);
    return written[0];
  }

  /** Records one sample per group, evaluates every group and adds the evaluation to its trend. */
  private void cycle(LagHistory history, Map<String, GroupTrend> trends, int cycle) {
    Instant now = SCALE.time(cycle);
    for (int g = 0; g < GROUPS; g++) {
      history.record(sample(g, now));
    }
    for (int g = 0; g < GROUPS; g++) {
      String id = "g" + g;
      // with the hysteresis state of the previous evaluation, kept in the history as the policy
      // keeps it, so that the snapshots carry it
      GroupEvaluation evaluation = history.evaluate(id, settings, now).orElseThrow();
      trends
          .computeIfAbsent(id, k -> new GroupTrend(HISTORY_SAMPLES))
          .add(now.toEpochMilli(), evaluation);
    }
  }

  /** A group of 10 partitions over 2 topics and 1 to 4 members; 1 in 10 falls behind. */
  private GroupSample sample(int g, Instant now) {
    List<PartitionSample> partitions = new ArrayList<>(PARTITIONS_PER_GROUP);
    int memberCount = 1 + g % 4;
    List<List<PartitionRef>> assignment = new ArrayList<>();
    for (int m = 0; m < memberCount; m++) {
      assignment.add(new ArrayList<>());
    }
    for (int p = 0; p < PARTITIONS_PER_GROUP; p++) {
      String topic = "topic-" + (g % 500) + (p < 5 ? "-a" : "-b");
      int partition = p % 5;
      long produced = 20 + random.nextInt(200);
      logEnds[g][p] += produced;
      long consumed = g % 10 == 0 ? produced / 2 : produced;
      committed[g][p] = Math.min(logEnds[g][p], committed[g][p] + consumed);
      partitions.add(new PartitionSample(topic, partition, -1, logEnds[g][p], committed[g][p]));
      assignment.get(p % memberCount).add(new PartitionRef(topic, partition));
    }
    List<MemberSample> members = new ArrayList<>();
    for (int m = 0; m < memberCount; m++) {
      members.add(
          new MemberSample(
              "member-" + g + "-" + m, null, "client-" + m, "/10.0.0." + m, assignment.get(m)));
    }
    return new GroupSample("g" + g, now, "Stable", "range", null, members, partitions);
  }

  private static long median(List<Long> values) {
    return percentile(values, 0.5);
  }

  private static long percentile(List<Long> values, double q) {
    return SelfMeasures.percentile(values.stream().mapToLong(Long::longValue).toArray(), q);
  }
}
