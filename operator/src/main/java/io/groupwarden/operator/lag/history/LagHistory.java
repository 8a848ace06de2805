package io.groupwarden.operator.lag.history;

import io.groupwarden.operator.governance.GroupAlerts;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.GroupTimeline;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.PolicySettings;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The lag history of one policy: per group, per partition, bounded rings of the samples the
 * collector produced, sized from the policy's windows ({@link HistoryCapacity}). Memory stays
 * bounded however long it runs: each ring has a fixed size, partitions missing from a group's
 * newest sample are dropped when it is recorded, and groups no longer watched are dropped by {@link
 * #retainOnly}.
 *
 * <p>Record one sample per group per evaluation interval, after which {@link #group} gives the
 * read-only view that {@code GroupEvaluator} evaluates. One thread records and evaluates (one
 * policy is reconciled by one thread at a time); other threads (the insight API, the snapshot
 * writer) read through {@link #read} and {@link #images}, which hold the history's lock as
 * recording does.
 */
public final class LagHistory {
  private HistoryCapacity capacity;
  private final Map<String, GroupHistory> groups = new HashMap<>();

  public LagHistory(HistoryCapacity capacity) {
    this.capacity = capacity;
  }

  /** An empty history sized for the settings' windows and interval. */
  public static LagHistory sizedFor(PolicySettings settings) {
    return new LagHistory(HistoryCapacity.of(settings));
  }

  /**
   * Adapts the history to new settings without losing it: when their windows or interval need
   * another capacity, every ring is copied into one of the new size, keeping the newest samples
   * that fit.
   *
   * @return whether the capacity changed
   */
  public synchronized boolean resizeFor(PolicySettings settings) {
    HistoryCapacity wanted = HistoryCapacity.of(settings);
    if (wanted.equals(capacity)) {
      return false;
    }
    groups.replaceAll((id, group) -> group.resized(wanted));
    capacity = wanted;
    return true;
  }

  /** How much this history keeps. */
  public HistoryCapacity capacity() {
    return capacity;
  }

  /**
   * Records a group's newest sample and computes the lag in seconds of each of its partitions.
   *
   * @return false, recording nothing, when the sample is not newer than the group's newest one
   */
  public synchronized boolean record(GroupSample sample) {
    return groups
        .computeIfAbsent(sample.groupId(), id -> new GroupHistory(capacity))
        .record(sample);
  }

  /**
   * The partitions of a sample about to be recorded whose lag in time the history cannot
   * interpolate, so that the timestamp of their oldest unconsumed record is worth reading: every
   * partition that is behind, for a group not seen before.
   */
  public List<PartitionSample> recordTimesWanted(GroupSample sample) {
    GroupHistory group = groups.get(sample.groupId());
    if (group == null) {
      return sample.partitions().stream()
          .filter(p -> MessageLag.origin(p) < p.logEndOffset())
          .toList();
    }
    return group.recordTimesWanted(sample);
  }

  /** Drops every group not named. */
  public synchronized void retainOnly(Collection<String> groupIds) {
    Set<String> kept = groupIds instanceof Set<String> set ? set : new HashSet<>(groupIds);
    groups.keySet().retainAll(kept);
  }

  /**
   * The hysteresis state a group's last evaluation left ({@link GroupAlerts#NONE} for a group not
   * evaluated yet). It is kept with the group's samples so that a snapshot carries both as of the
   * same evaluation, and a restart or a new leader continues raising and clearing where it stood.
   */
  public synchronized GroupAlerts alerts(String groupId) {
    GroupHistory group = groups.get(groupId);
    return group == null ? GroupAlerts.NONE : group.alerts();
  }

  /** Keeps the hysteresis state of a group's evaluation; ignored for a group without history. */
  public synchronized void alerts(String groupId, GroupAlerts alerts) {
    GroupHistory group = groups.get(groupId);
    if (group != null) {
      group.alerts(alerts);
    }
  }

  /**
   * Evaluates a group's history against the settings with the hysteresis state its previous
   * evaluation left, and keeps the state this one leaves for the next (as the policy does every
   * cycle); empty for a group without history.
   */
  public synchronized Optional<GroupEvaluation> evaluate(
      String groupId, PolicySettings settings, Instant now) {
    GroupHistory group = groups.get(groupId);
    if (group == null) {
      return Optional.empty();
    }
    GroupEvaluation evaluation = GroupEvaluator.evaluate(group, settings, now, group.alerts());
    group.alerts(evaluation.alerts());
    return Optional.of(evaluation);
  }

  /** The history of a group, when one was recorded. */
  public Optional<GroupTimeline> group(String groupId) {
    return Optional.ofNullable(groups.get(groupId));
  }

  /**
   * Applies {@code reader} to a group's timeline under this history's lock, so that a thread other
   * than the recording one sees it whole; the reader must copy out what it needs.
   */
  public synchronized <T> Optional<T> read(String groupId, Function<GroupTimeline, T> reader) {
    GroupHistory group = groups.get(groupId);
    return group == null ? Optional.empty() : Optional.ofNullable(reader.apply(group));
  }

  /** Hands every group's history, as plain values, to {@code sink}, under this history's lock. */
  public void images(Consumer<GroupImage> sink) {
    images(groupId -> true, sink);
  }

  /** Hands the history of the groups {@code which} accepts to {@code sink}, under the lock. */
  public synchronized void images(Predicate<String> which, Consumer<GroupImage> sink) {
    for (Map.Entry<String, GroupHistory> group : groups.entrySet()) {
      if (group.getValue().size() > 0 && which.test(group.getKey())) {
        sink.accept(group.getValue().image());
      }
    }
  }

  /** The image of one group's history, when it has one. */
  public synchronized Optional<GroupImage> image(String groupId) {
    GroupHistory group = groups.get(groupId);
    return group == null || group.size() == 0 ? Optional.empty() : Optional.of(group.image());
  }

  /**
   * Puts back a group's history from an image, replacing what this history holds of the group; the
   * newest samples that fit this history's capacity are kept.
   */
  public synchronized void restore(GroupImage image) {
    groups.put(image.groupId(), GroupHistory.restored(image, capacity));
  }

  /** Forgets a group. */
  public synchronized void remove(String groupId) {
    groups.remove(groupId);
  }

  /** The groups with a history. */
  public synchronized Set<String> groupIds() {
    return Set.copyOf(groups.keySet());
  }

  /** How many partitions are retained over all groups. */
  public int partitionCount() {
    int count = 0;
    for (GroupHistory group : groups.values()) {
      count += group.partitionCount();
    }
    return count;
  }
}
