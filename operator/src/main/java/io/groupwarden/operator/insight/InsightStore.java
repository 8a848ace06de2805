package io.groupwarden.operator.insight;

import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus.Source;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest evaluation of every policy and the latest check of every LagMonitor, as the
 * reconcilers last wrote them, for the insight API to read. Keys are {@code namespace/name}.
 */
public final class InsightStore {
  private final Map<String, PolicyView> policies = new ConcurrentHashMap<>();
  private final Map<String, MonitorView> monitors = new ConcurrentHashMap<>();

  /**
   * A policy's latest evaluation.
   *
   * @param cluster {@code namespace/policy}
   * @param evaluatedAt when the groups were sampled
   * @param groups the evaluations
   */
  public record PolicyView(String cluster, Instant evaluatedAt, List<GroupEvaluation> groups) {
    public PolicyView {
      groups = List.copyOf(groups);
    }
  }

  /**
   * A LagMonitor's latest check.
   *
   * @param monitor {@code namespace/name}
   * @param checkedAt when the sources were read
   * @param sources its sources
   */
  public record MonitorView(String monitor, Instant checkedAt, List<Source> sources) {
    public MonitorView {
      sources = List.copyOf(sources);
    }
  }

  public void policy(String cluster, Instant evaluatedAt, List<GroupEvaluation> groups) {
    policies.put(cluster, new PolicyView(cluster, evaluatedAt, groups));
  }

  public void removePolicy(String cluster) {
    policies.remove(cluster);
  }

  public void monitor(String monitor, Instant checkedAt, List<Source> sources) {
    monitors.put(monitor, new MonitorView(monitor, checkedAt, sources));
  }

  public void removeMonitor(String monitor) {
    monitors.remove(monitor);
  }

  /** Every policy, by cluster name. */
  public Map<String, PolicyView> policies() {
    return new TreeMap<>(policies);
  }

  /** Every LagMonitor, by name. */
  public Map<String, MonitorView> monitors() {
    return new TreeMap<>(monitors);
  }
}
