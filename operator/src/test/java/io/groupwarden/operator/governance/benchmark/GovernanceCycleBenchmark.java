package io.groupwarden.operator.governance.benchmark;

import static io.groupwarden.operator.benchmark.SelfMeasures.processCpuNanos;
import static io.groupwarden.operator.benchmark.SelfMeasures.summary;
import static io.groupwarden.operator.benchmark.SelfMeasures.usedHeapAfterGc;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.GroupTimeline;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.PolicySettingsBuilder;
import io.groupwarden.operator.governance.TopicRetention;
import io.groupwarden.operator.lag.history.LagHistory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * One governance cycle at scale: 10,000 groups with 100,000 partitions in all, one hour of history
 * at a 30 s interval (SLO, stuck and rebalance windows of 1 h, so every ring holds 120 samples and
 * more). A cycle is what the reconciler does each interval: record one new sample per group (the
 * lag in seconds of every partition is computed then) and evaluate every group.
 *
 * <p>The evaluation includes everything a policy computes: lag, lag in time, SLO compliance, Gini,
 * rebalances, stuck partitions and the slow-group rule, time to catch up, records lost to retention
 * (the log start advances under every partition, past the committed offset of the groups that stop
 * committing) and the retention forecast (every topic keeps records for 7 days), findings and the
 * hysteresis of every problem, carried from cycle to cycle as the operator does.
 *
 * <p>It reports the time per cycle, wall-clock and the CPU time of the whole process (which the
 * other work of a shared machine does not inflate), and the heap the history retains, measured as
 * the used heap after full collections with and without the history. The peer it is compared with
 * is the obvious store: the collector's own {@link GroupSample} objects kept in a deque per group,
 * whose retained heap is measured the same way on a tenth of the groups and scaled up.
 *
 * <p>Run: {@code ./mvnw -B -q -pl operator -am -Pgovernance-benchmark process-test-classes}
 */
public final class GovernanceCycleBenchmark {
  private static final HistoryScale SCALE =
      new HistoryScale(10_000, 10, Duration.ofSeconds(30), 120);
  private static final int GROUPS = SCALE.groups();
  private static final int PARTITIONS_PER_GROUP = SCALE.partitionsPerGroup();
  private static final int TOPICS_PER_GROUP = 2;
  private static final int HISTORY_SAMPLES = SCALE.historySamples();
  private static final int WARMUP_CYCLES = 10;
  private static final int MEASURED_CYCLES = 30;

  private final Workload workload = new Workload(new SplittableRandom(42));
  private final Map<String, GroupAlerts> alerts = new HashMap<>();
  private final PolicySettings settings =
      PolicySettingsBuilder.defaults()
          .interval(SCALE.interval())
          .maxLagP95(Duration.ofSeconds(60))
          .sloWindow(Duration.ofHours(1))
          .stuckWindow(Duration.ofHours(1))
          .rebalanceWindow(Duration.ofHours(1))
          .build();

  public static void main(String[] args) {
    new GovernanceCycleBenchmark().run();
  }

  private void run() {
    System.out.println(SCALE.describe("Governance cycle"));

    LagHistory history = LagHistory.sizedFor(settings);
    long retained = SCALE.fillHistory(workload.recordingInto(history));
    int cycle = HISTORY_SAMPLES;
    System.out.printf(
        Locale.ROOT,
        "history: %d groups, %d partitions, ring capacity %d samples; retained heap %.1f MB%n",
        history.groupIds().size(),
        history.partitionCount(),
        history.capacity().samples(),
        mb(retained));

    long[] cycleNanos = new long[MEASURED_CYCLES];
    long[] cpuNanos = new long[MEASURED_CYCLES];
    long[] recordNanos = new long[MEASURED_CYCLES];
    long checksum = 0;
    for (int i = 0; i < WARMUP_CYCLES + MEASURED_CYCLES; i++, cycle++) {
      Instant now = SCALE.time(cycle);
      List<GroupSample> samples = workload.cycle(now);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      for (GroupSample sample : samples) {
        history.record(sample);
      }
      long recorded = System.nanoTime();
      checksum += evaluateAll(history, samples, now);
      long end = System.nanoTime();
      long cpuEnd = processCpuNanos();
      if (i >= WARMUP_CYCLES) {
        cycleNanos[i - WARMUP_CYCLES] = end - start;
        cpuNanos[i - WARMUP_CYCLES] = cpuEnd - cpuStart;
        if (Boolean.getBoolean("benchmark.verbose")) {
          System.out.printf(
              Locale.ROOT,
              "  cycle %d: %.1f ms (record %.1f ms)%n",
              i,
              ms(end - start),
              ms(recorded - start));
        }
        recordNanos[i - WARMUP_CYCLES] = recorded - start;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "cycle (record + evaluate all groups), %d cycles after %d warm-up: %s (checksum %d)%n",
        MEASURED_CYCLES,
        WARMUP_CYCLES,
        summary(cycleNanos),
        checksum);
    System.out.printf(Locale.ROOT, "  of which recording: %s%n", summary(recordNanos));
    System.out.printf(Locale.ROOT, "  CPU time of the process per cycle: %s%n", summary(cpuNanos));

    long compact = usedHeapAfterGc();
    Reference.reachabilityFence(history);
    history = null;
    long withoutHistory = usedHeapAfterGc();
    System.out.printf(
        Locale.ROOT,
        "history retained heap after the measured cycles: %.1f MB%n",
        mb(compact - withoutHistory));

    double peer = peerRetainedHeap(cycle);
    System.out.printf(
        Locale.ROOT,
        "peer (GroupSample objects in a deque per group): %.1f MB; compact history is %.1fx"
            + " smaller%n",
        mb((long) peer),
        peer / retained);
  }

  private long evaluateAll(LagHistory history, List<GroupSample> samples, Instant now) {
    long checksum = 0;
    for (GroupSample sample : samples) {
      GroupTimeline timeline = history.group(sample.groupId()).orElseThrow();
      GroupEvaluation evaluation =
          GroupEvaluator.evaluate(
              timeline, settings, now, alerts.getOrDefault(sample.groupId(), GroupAlerts.NONE));
      alerts.put(sample.groupId(), evaluation.alerts());
      checksum +=
          evaluation.lag().total()
              + evaluation.stuckPartitions().size()
              + evaluation.findings().size();
    }
    return checksum;
  }

  /** The heap a deque of 120 collector samples per group retains, from a tenth of the groups. */
  private double peerRetainedHeap(int firstCycle) {
    int groups = GROUPS / 10;
    long before = usedHeapAfterGc();
    List<Deque<GroupSample>> kept = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      kept.add(new ArrayDeque<>());
    }
    for (int cycle = firstCycle; cycle < firstCycle + HISTORY_SAMPLES; cycle++) {
      List<GroupSample> samples = workload.cycle(SCALE.time(cycle));
      for (int g = 0; g < groups; g++) {
        kept.get(g).addLast(samples.get(g));
      }
    }
    long retained = usedHeapAfterGc() - before;
    if (kept.get(0).size() != HISTORY_SAMPLES) {
      throw new IllegalStateException("peer lost samples");
    }
    return retained * 10.0;
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /**
   * Groups whose offsets move like real ones: most keep up, one in ten falls behind at 80% of the
   * production rate, one in a hundred stops committing, and one in fifty changes a member every ten
   * minutes. Every topic keeps 7 days of records; the log start of each partition stays 200,000
   * records behind its end, so retention overtakes the groups that stopped within the run.
   */
  private static final class Workload {
    private static final long RETAINED = 200_000;
    private static final TopicRetention SEVEN_DAYS =
        new TopicRetention(Duration.ofDays(7).toMillis(), null);

    private final String[][] topics = new String[GROUPS][TOPICS_PER_GROUP];
    private final long[] logEnd = new long[GROUPS * PARTITIONS_PER_GROUP];
    private final long[] committed = new long[GROUPS * PARTITIONS_PER_GROUP];
    private final int[] perInterval = new int[GROUPS * PARTITIONS_PER_GROUP];
    private int cycle;

    Workload(SplittableRandom random) {
      for (int g = 0; g < GROUPS; g++) {
        for (int t = 0; t < TOPICS_PER_GROUP; t++) {
          topics[g][t] = "topic-" + g + "-" + t;
        }
      }
      for (int p = 0; p < logEnd.length; p++) {
        logEnd[p] = 1_000_000_000L + random.nextLong(1_000_000_000L);
        committed[p] = logEnd[p] - random.nextInt(100);
        perInterval[p] = 10 + random.nextInt(3000);
      }
    }

    /** What records the samples of cycle {@code n} into {@code history}. */
    IntConsumer recordingInto(LagHistory history) {
      return n -> cycle(SCALE.time(n)).forEach(history::record);
    }

    List<GroupSample> cycle(Instant time) {
      cycle++;
      List<GroupSample> samples = new ArrayList<>(GROUPS);
      for (int g = 0; g < GROUPS; g++) {
        samples.add(group(g, time));
      }
      return samples;
    }

    private GroupSample group(int g, Instant time) {
      List<PartitionSample> partitions = new ArrayList<>(PARTITIONS_PER_GROUP);
      List<PartitionRef> refs = new ArrayList<>(PARTITIONS_PER_GROUP);
      for (int i = 0; i < PARTITIONS_PER_GROUP; i++) {
        int p = g * PARTITIONS_PER_GROUP + i;
        String topic = topics[g][i % TOPICS_PER_GROUP];
        int partition = i / TOPICS_PER_GROUP;
        logEnd[p] += perInterval[p];
        if (g % 100 == 7) {
          // stopped committing
        } else if (g % 10 == 3) {
          committed[p] += perInterval[p] * 8L / 10;
        } else {
          committed[p] = logEnd[p] - (p % 7);
        }
        partitions.add(
            new PartitionSample(
                    topic, partition, Math.max(0, logEnd[p] - RETAINED), logEnd[p], committed[p])
                .withRetention(SEVEN_DAYS, -1));
        refs.add(new PartitionRef(topic, partition));
      }
      int memberCount = 1 + g % 4;
      boolean churn = g % 50 == 11 && cycle % 20 == 0;
      List<MemberSample> members = new ArrayList<>(memberCount);
      for (int m = 0; m < memberCount; m++) {
        List<PartitionRef> assignment = new ArrayList<>();
        for (int i = m; i < refs.size(); i += memberCount) {
          assignment.add(refs.get(i));
        }
        String memberId = "consumer-" + g + "-" + m + (churn ? "-" + cycle : "");
        members.add(new MemberSample(memberId, null, "client-" + m, "/10.0.0." + m, assignment));
      }
      return new GroupSample("group-" + g, time, "Stable", "range", null, members, partitions);
    }
  }
}
