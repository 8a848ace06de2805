package io.groupwarden.operator.insight;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.GroupSample.MemberSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.lag.history.HistoryCapacity;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import io.groupwarden.operator.lagmonitor.redis.StreamInfo;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the insight API serves: the latest evaluation of every policy (with the groups' newest
 * samples, the settings they were judged by and read access to their lag history), each group's
 * evaluated numbers over time and recent membership changes, and the latest check of every
 * LagMonitor with the trend of each source. The reconcilers publish here on the leader; a standby
 * replica fills it from the leader's snapshots. Keys are {@code namespace/name}.
 */
public final class InsightStore {
  /** Membership and state changes kept per group. */
  static final int CHANGES_KEPT = 50;

  private final Map<String, PolicyView> policies = new ConcurrentHashMap<>();
  private final Map<String, MonitorView> monitors = new ConcurrentHashMap<>();
  private final Map<String, Map<String, GroupTrend>> trends = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Deque<MembershipChange>>> changes =
      new ConcurrentHashMap<>();
  private final Map<String, Map<String, SourceTrend>> sourceTrends = new ConcurrentHashMap<>();

  /** Where the data of a policy comes from. */
  public enum Origin {
    /** This replica evaluates the policy. */
    LEADER,
    /** This replica stands by and serves what the leader's last snapshot holds. */
    SNAPSHOT
  }

  /**
   * A policy's latest evaluation.
   *
   * @param cluster {@code namespace/policy}
   * @param evaluatedAt when the groups were sampled
   * @param groups the evaluations
   * @param samples each group's newest sample (members, assignment, state), by group id
   * @param settings what the groups were judged by; null when not known
   * @param history read access to the groups' lag history
   * @param origin whether this replica evaluated it or restored it from a snapshot
   * @param autoscale the autoscaler's last decision, or null when the policy does not scale
   */
  public record PolicyView(
      String cluster,
      Instant evaluatedAt,
      List<GroupEvaluation> groups,
      Map<String, GroupSample> samples,
      PolicySettings settings,
      HistoryReader history,
      Origin origin,
      AutoscaleDecision autoscale) {
    public PolicyView {
      groups = List.copyOf(groups);
      samples = Map.copyOf(samples);
      history = history == null ? HistoryReader.NONE : history;
    }

    public PolicyView(String cluster, Instant evaluatedAt, List<GroupEvaluation> groups) {
      this(cluster, evaluatedAt, groups, Map.of(), null, HistoryReader.NONE, Origin.LEADER, null);
    }

    /** The members of a group's newest sample; empty when unknown. */
    public List<MemberSample> members(String groupId) {
      GroupSample sample = samples.get(groupId);
      return sample == null ? List.of() : sample.members();
    }
  }

  /**
   * A LagMonitor's classification thresholds, in messages.
   *
   * @param degraded lag above this is degraded
   * @param unhealthy lag above this is unhealthy
   */
  public record Thresholds(long degraded, long unhealthy) {
    public static final Thresholds DEFAULTS = new Thresholds(100, 1000);
  }

  /**
   * A LagMonitor's latest check.
   *
   * @param monitor {@code namespace/name}
   * @param checkedAt when the sources were read
   * @param sources its sources
   * @param thresholds how it classifies lag
   * @param streams what Redis told of each stream that exists, by key
   */
  public record MonitorView(
      String monitor,
      Instant checkedAt,
      List<Source> sources,
      Thresholds thresholds,
      Map<String, StreamInfo> streams) {
    public MonitorView {
      sources = List.copyOf(sources);
      thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds;
      streams = Map.copyOf(streams);
    }

    public MonitorView(String monitor, Instant checkedAt, List<Source> sources) {
      this(monitor, checkedAt, sources, Thresholds.DEFAULTS, Map.of());
    }
  }

  /** Publishes a policy's evaluation without samples, settings or history (tests, failures). */
  public void policy(String cluster, Instant evaluatedAt, List<GroupEvaluation> groups) {
    publish(new PolicyView(cluster, evaluatedAt, groups));
  }

  /**
   * Publishes a policy's evaluation: it replaces the previous one, each group's trend gets a point,
   * and what changed in each group's membership or state since the previous one is noted. Groups no
   * longer evaluated lose their trend and changes.
   */
  public void publish(PolicyView view) {
    PolicyView previous = policies.put(view.cluster(), view);
    int capacity =
        view.settings() == null
            ? HistoryCapacity.MIN_INTERPOLATION_SAMPLES
            : HistoryCapacity.of(view.settings()).samples();
    Map<String, GroupTrend> groupTrends =
        trends.computeIfAbsent(view.cluster(), c -> new ConcurrentHashMap<>());
    Map<String, Deque<MembershipChange>> groupChanges =
        changes.computeIfAbsent(view.cluster(), c -> new ConcurrentHashMap<>());
    List<String> present = new ArrayList<>();
    for (GroupEvaluation g : view.groups()) {
      present.add(g.groupId());
      GroupTrend trend =
          groupTrends.compute(
              g.groupId(),
              (id, t) ->
                  t == null
                      ? new GroupTrend(capacity)
                      : t.capacity() == capacity ? t : t.resized(capacity));
      trend.add(view.evaluatedAt().toEpochMilli(), g);
      if (previous != null) {
        List<MembershipChange> seen =
            between(
                previous.samples().get(g.groupId()),
                view.samples().get(g.groupId()),
                view.evaluatedAt());
        if (!seen.isEmpty()) {
          Deque<MembershipChange> kept =
              groupChanges.computeIfAbsent(g.groupId(), id -> new ArrayDeque<>());
          synchronized (kept) {
            seen.forEach(kept::addLast);
            while (kept.size() > CHANGES_KEPT) {
              kept.removeFirst();
            }
          }
        }
      }
    }
    groupTrends.keySet().retainAll(present);
    groupChanges.keySet().retainAll(present);
  }

  /** The members that joined or left, and the state change, between two samples of a group. */
  static List<MembershipChange> between(GroupSample before, GroupSample after, Instant at) {
    if (before == null || after == null) {
      return List.of();
    }
    List<MembershipChange> found = new ArrayList<>();
    if (!Objects.equals(before.state(), after.state())) {
      found.add(
          new MembershipChange(
              MembershipChange.STATE_CHANGE, at, null, null, null, before.state(), after.state()));
    }
    Map<String, MemberSample> was = byIdentity(before.members());
    Map<String, MemberSample> is = byIdentity(after.members());
    found.addAll(membersOnlyIn(is, was, MembershipChange.MEMBER_JOINED, at));
    found.addAll(membersOnlyIn(was, is, MembershipChange.MEMBER_LEFT, at));
    return found;
  }

  /** A change of {@code type} for each member of {@code in} that {@code notIn} lacks. */
  private static List<MembershipChange> membersOnlyIn(
      Map<String, MemberSample> in, Map<String, MemberSample> notIn, String type, Instant at) {
    List<MembershipChange> changes = new ArrayList<>();
    in.forEach(
        (id, m) -> {
          if (!notIn.containsKey(id)) {
            changes.add(new MembershipChange(type, at, id, m.clientId(), m.host(), null, null));
          }
        });
    return changes;
  }

  private static Map<String, MemberSample> byIdentity(List<MemberSample> members) {
    Map<String, MemberSample> byIdentity = new LinkedHashMap<>();
    for (MemberSample m : members) {
      byIdentity.put(Objects.requireNonNullElse(m.identity(), ""), m);
    }
    return byIdentity;
  }

  public void removePolicy(String cluster) {
    policies.remove(cluster);
    trends.remove(cluster);
    changes.remove(cluster);
  }

  public void monitor(String monitor, Instant checkedAt, List<Source> sources) {
    monitor(monitor, checkedAt, sources, Thresholds.DEFAULTS, Map.of());
  }

  /** Publishes a LagMonitor's check; each source's trend gets a point. */
  public void monitor(
      String monitor,
      Instant checkedAt,
      List<Source> sources,
      Thresholds thresholds,
      Map<String, StreamInfo> streams) {
    monitors.put(monitor, new MonitorView(monitor, checkedAt, sources, thresholds, streams));
    Map<String, SourceTrend> bySource =
        sourceTrends.computeIfAbsent(monitor, m -> new ConcurrentHashMap<>());
    List<String> present = new ArrayList<>();
    for (Source source : sources) {
      String key = sourceKey(source);
      present.add(key);
      bySource
          .computeIfAbsent(key, k -> new SourceTrend())
          .add(checkedAt.toEpochMilli(), source.lag());
    }
    bySource.keySet().retainAll(present);
  }

  public void removeMonitor(String monitor) {
    monitors.remove(monitor);
    sourceTrends.remove(monitor);
  }

  /** Every policy, by cluster name. */
  public Map<String, PolicyView> policies() {
    return new TreeMap<>(policies);
  }

  /** Every LagMonitor, by name. */
  public Map<String, MonitorView> monitors() {
    return new TreeMap<>(monitors);
  }

  /** A group's evaluated numbers over time, when it was evaluated. */
  public Optional<GroupTrend> trend(String cluster, String groupId) {
    return Optional.ofNullable(trends.getOrDefault(cluster, Map.of()).get(groupId));
  }

  /** Puts back a group's trend restored from a snapshot. */
  public void restoreTrend(String cluster, String groupId, GroupTrend trend) {
    trends.computeIfAbsent(cluster, c -> new ConcurrentHashMap<>()).put(groupId, trend);
  }

  /** The recent membership and state changes of a group, oldest first. */
  public List<MembershipChange> changes(String cluster, String groupId) {
    Deque<MembershipChange> kept = changes.getOrDefault(cluster, Map.of()).get(groupId);
    if (kept == null) {
      return List.of();
    }
    synchronized (kept) {
      return List.copyOf(kept);
    }
  }

  /** The trend of one LagMonitor source. */
  public Optional<SourceTrend> sourceTrend(String monitor, Source source) {
    return Optional.ofNullable(
        sourceTrends.getOrDefault(monitor, new HashMap<>()).get(sourceKey(source)));
  }

  private static String sourceKey(Source source) {
    return source.kind() + "\u0000" + source.name() + "\u0000" + source.group();
  }
}
