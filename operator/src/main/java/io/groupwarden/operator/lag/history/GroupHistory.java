package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.GroupTimeline;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.PartitionTimeline;
import io.groupwarden.operator.governance.RebalanceDetector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The retained history of one group: a ring of sample times shared by its partitions' rings, the
 * partitions of the newest sample in that sample's order, the rebalances observed, and the
 * hysteresis state of the group's last evaluation.
 */
final class GroupHistory implements GroupTimeline {
  private final HistoryCapacity capacity;
  private final long[] times;
  private final RebalanceDetector rebalanceDetector;
  private final RebalanceLog rebalances;
  private PartitionHistory[] partitions = new PartitionHistory[0];
  private GroupSample latest;
  private GroupAlerts alerts = GroupAlerts.NONE;
  // what the rebalance detector holds, mirrored so that a snapshot can carry it
  private GroupSample lastSettled;
  private boolean rebalancing;
  private int head = -1;
  private int size;
  private int sequence;

  GroupHistory(HistoryCapacity capacity) {
    this(capacity, new RebalanceDetector(), new RebalanceLog(capacity.rebalances()));
  }

  private GroupHistory(
      HistoryCapacity capacity, RebalanceDetector rebalanceDetector, RebalanceLog rebalances) {
    this.capacity = capacity;
    this.times = new long[capacity.samples()];
    this.rebalanceDetector = rebalanceDetector;
    this.rebalances = rebalances;
  }

  /** A copy with another capacity, keeping the newest samples that fit. */
  GroupHistory resized(HistoryCapacity newCapacity) {
    GroupHistory copy =
        new GroupHistory(
            newCapacity, rebalanceDetector, rebalances.resized(newCapacity.rebalances()));
    int keep = Math.min(size, newCapacity.samples());
    for (int age = keep - 1; age >= 0; age--) {
      copy.head++;
      copy.times[copy.head] = timeMillis(age);
    }
    copy.size = keep;
    copy.sequence = sequence;
    copy.latest = latest;
    copy.alerts = alerts;
    copy.lastSettled = lastSettled;
    copy.rebalancing = rebalancing;
    copy.partitions = new PartitionHistory[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      copy.partitions[i] = partitions[i].resized(copy, newCapacity.samples());
    }
    return copy;
  }

  /**
   * Records the group's next sample; a sample not newer than the newest one is ignored.
   *
   * @return whether it was recorded
   */
  boolean record(GroupSample sample) {
    long time = sample.time().toEpochMilli();
    if (size > 0 && time <= times[head]) {
      return false;
    }
    head = (head + 1) % times.length;
    times[head] = time;
    size = Math.min(size + 1, times.length);
    sequence++;

    List<PartitionSample> sampled = sample.partitions();
    partitions = matchPartitions(sampled);
    for (int i = 0; i < partitions.length; i++) {
      partitions[i].append(sampled.get(i), sequence);
    }
    latest = sample;

    if (rebalanceDetector.observe(sample)) {
      rebalances.add(time);
    }
    rebalancing = RebalanceDetector.isRebalancing(sample.state());
    if (!rebalancing) {
      lastSettled = sample;
    }
    rebalances.dropUpTo(time - capacity.rebalanceWindow().toMillis());
    return true;
  }

  /**
   * The partitions of a sample about to be recorded whose lag in time the history cannot
   * interpolate: behind, and no retained point (after the one the sample will push out) had a log
   * end at or below the offset the lag counts from.
   */
  List<PartitionSample> recordTimesWanted(GroupSample sample) {
    List<PartitionSample> wanted = new ArrayList<>();
    Map<String, Map<Integer, PartitionHistory>> byName = null;
    List<PartitionSample> sampled = sample.partitions();
    for (int i = 0; i < sampled.size(); i++) {
      PartitionSample partition = sampled.get(i);
      long origin = MessageLag.origin(partition);
      if (origin >= partition.logEndOffset()) {
        continue;
      }
      PartitionHistory history;
      if (i < partitions.length && partitions[i].is(partition)) {
        history = partitions[i];
      } else {
        if (byName == null) {
          byName = byName(partitions);
        }
        history = byName.getOrDefault(partition.topic(), Map.of()).get(partition.partition());
      }
      if (history == null || !history.canInterpolate(origin)) {
        wanted.add(partition);
      }
    }
    return wanted;
  }

  /**
   * The histories of the sampled partitions, in the sample's order: the existing ones where the
   * order is unchanged (the usual case), found by name where it changed, new ones for new
   * partitions. Partitions missing from the sample are dropped.
   */
  private PartitionHistory[] matchPartitions(List<PartitionSample> sampled) {
    PartitionHistory[] previous = partitions;
    PartitionHistory[] matched = new PartitionHistory[sampled.size()];
    Map<String, Map<Integer, PartitionHistory>> byName = null;
    for (int i = 0; i < matched.length; i++) {
      PartitionSample sample = sampled.get(i);
      if (i < previous.length && previous[i].is(sample)) {
        matched[i] = previous[i];
        continue;
      }
      if (byName == null) {
        byName = byName(previous);
      }
      PartitionHistory found =
          byName.getOrDefault(sample.topic(), Map.of()).get(sample.partition());
      matched[i] =
          Objects.requireNonNullElseGet(
              found,
              () ->
                  new PartitionHistory(
                      this, sample.topic(), sample.partition(), capacity.samples()));
    }
    return matched;
  }

  private static Map<String, Map<Integer, PartitionHistory>> byName(PartitionHistory[] histories) {
    Map<String, Map<Integer, PartitionHistory>> byName = new HashMap<>();
    for (PartitionHistory history : histories) {
      byName
          .computeIfAbsent(history.topic(), topic -> new HashMap<>())
          .put(history.partition(), history);
    }
    return byName;
  }

  /** Everything this history holds, as plain values. */
  GroupImage image() {
    long[] retained = new long[size];
    for (int i = 0; i < size; i++) {
      retained[i] = timeMillis(size - 1 - i);
    }
    List<GroupImage.PartitionImage> images = new java.util.ArrayList<>(partitions.length);
    for (int i = 0; i < partitions.length; i++) {
      images.add(partitions[i].image(latest.partitions().get(i)));
    }
    return new GroupImage(
        latest.groupId(),
        sequence,
        retained,
        latest.state(),
        latest.assignor(),
        latest.epoch(),
        latest.members(),
        rebalancing,
        rebalancing && lastSettled != null ? lastSettled.epoch() : null,
        rebalancing && lastSettled != null ? lastSettled.members() : null,
        rebalances.times(),
        images,
        alerts);
  }

  /**
   * A history holding an image, with the capacity given: the newest samples that fit are kept, and
   * the rebalance detector is brought to the state it had, so the next sample is compared with the
   * same settled sample as it would have been without the restart.
   */
  static GroupHistory restored(GroupImage image, HistoryCapacity capacity) {
    RebalanceLog log = new RebalanceLog(capacity.rebalances());
    for (long time : image.rebalanceTimes()) {
      log.add(time);
    }
    GroupHistory history = new GroupHistory(capacity, new RebalanceDetector(), log);
    long[] times = image.times();
    int keep = Math.min(times.length, capacity.samples());
    for (int i = times.length - keep; i < times.length; i++) {
      history.head++;
      history.times[history.head] = times[i];
    }
    history.size = keep;
    history.sequence = image.sequence();
    List<PartitionSample> newest = new java.util.ArrayList<>(image.partitions().size());
    history.partitions = new PartitionHistory[image.partitions().size()];
    for (int i = 0; i < history.partitions.length; i++) {
      GroupImage.PartitionImage p = image.partitions().get(i);
      history.partitions[i] = PartitionHistory.restored(history, p, capacity.samples());
      newest.add(p.newest());
    }
    history.alerts = image.alerts();
    Instant newestTime = Instant.ofEpochMilli(keep == 0 ? 0 : times[times.length - 1]);
    history.latest =
        new GroupSample(
            image.groupId(),
            newestTime,
            image.state(),
            image.assignor(),
            image.epoch(),
            image.members(),
            newest);
    if (image.rebalancing()) {
      if (image.settledMembers() != null) {
        GroupSample settled =
            new GroupSample(
                image.groupId(),
                newestTime,
                "Stable",
                image.assignor(),
                image.settledEpoch(),
                image.settledMembers(),
                List.of());
        history.rebalanceDetector.observe(settled);
        history.lastSettled = settled;
      }
      history.rebalanceDetector.observe(history.latest.withPartitions(List.of()));
      history.rebalancing = true;
    } else {
      history.rebalanceDetector.observe(history.latest);
      history.lastSettled = history.latest;
    }
    return history;
  }

  GroupAlerts alerts() {
    return alerts;
  }

  void alerts(GroupAlerts alerts) {
    this.alerts = alerts;
  }

  int slot(int age) {
    int slot = head - age;
    return slot < 0 ? slot + times.length : slot;
  }

  long timeMillis(int age) {
    return times[slot(age)];
  }

  int size() {
    return size;
  }

  int partitionCount() {
    return partitions.length;
  }

  @Override
  public GroupSample latest() {
    return latest;
  }

  @Override
  public PartitionTimeline partition(int index) {
    return partitions[index];
  }

  @Override
  public int rebalancesSince(Instant from) {
    return rebalances.countAfter(from.toEpochMilli());
  }
}
