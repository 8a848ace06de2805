package io.groupwarden.operator.policy;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupEvaluator;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaLagCollector;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lag.history.LagHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the operator remembers of one policy between cycles: the lag history of its groups and the
 * recent scale recommendations. The history is restored from the policy's snapshots when the state
 * is created (see {@code snapshot.HistorySnapshots}).
 */
final class PolicyState {
  private final LagHistory history;
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

  /**
   * Samples the groups, unless the last sample is more recent than most of an interval: samples
   * spaced closer than the interval would shorten the time the history covers, so a reconcile
   * triggered early (a spec change) re-evaluates the last sample instead.
   */
  LagSnapshot sample(
      KafkaLagCollector collector,
      Admin admin,
      GroupSelector selector,
      PolicySettings settings,
      Instant now) {
    history.resizeFor(settings);
    Duration minimumSpacing = settings.interval().multipliedBy(8).dividedBy(10);
    if (lastSnapshot != null && lastSnapshot.time().plus(minimumSpacing).isAfter(now)) {
      return lastSnapshot;
    }
    LagSnapshot snapshot = collector.collect(admin, selector);
    List<String> present = new ArrayList<>();
    for (GroupSample group : snapshot.groups()) {
      history.record(group);
      present.add(group.groupId());
    }
    history.retainOnly(present);
    lastSnapshot = snapshot;
    return snapshot;
  }

  /** Evaluates every group of the snapshot against the settings. */
  List<GroupEvaluation> evaluate(LagSnapshot snapshot, PolicySettings settings) {
    List<GroupEvaluation> evaluations = new ArrayList<>();
    for (GroupSample group : snapshot.groups()) {
      history
          .group(group.groupId())
          .ifPresent(
              timeline ->
                  evaluations.add(GroupEvaluator.evaluate(timeline, settings, snapshot.time())));
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
