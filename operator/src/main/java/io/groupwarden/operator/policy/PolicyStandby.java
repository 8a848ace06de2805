package io.groupwarden.operator.policy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.common.DaemonThreads;
import io.groupwarden.operator.common.ResourceMeta;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.Origin;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.insight.InsightStore.Thresholds;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorSpec;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.snapshot.HistorySnapshots;
import io.groupwarden.operator.snapshot.HistorySnapshots.Followed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a replica that does not hold the lease serves: every {@code refresh} it follows each
 * policy's snapshots and evaluates them as the leader did, and reads each LagMonitor's status, so
 * that the insight API answers from any replica. It does nothing while this replica leads.
 */
public final class PolicyStandby implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyStandby.class);

  private final KubernetesClient client;
  private final ConsumerGroupPolicyReconciler reconciler;
  private final HistorySnapshots snapshots;
  private final InsightStore store;
  private final BooleanSupplier leading;
  private final List<String> namespaces;
  private final Map<String, PolicyState> states = new HashMap<>();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("groupwarden-standby"));
  private boolean wasLeading;

  public PolicyStandby(
      KubernetesClient client,
      ConsumerGroupPolicyReconciler reconciler,
      HistorySnapshots snapshots,
      InsightStore store,
      BooleanSupplier leading,
      List<String> namespaces) {
    this.client = client;
    this.reconciler = reconciler;
    this.snapshots = snapshots;
    this.store = store;
    this.leading = leading;
    this.namespaces = List.copyOf(namespaces);
  }

  /** Starts following every {@code refresh}. */
  public PolicyStandby start(Duration refresh) {
    loop.scheduleWithFixedDelay(this::refreshQuietly, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("The standby view could not be refreshed: {}", e.toString());
    }
  }

  /** One round: follow every policy and read every LagMonitor, unless this replica leads. */
  void refresh() {
    if (leading.getAsBoolean()) {
      if (!wasLeading) {
        states.clear(); // the reconcilers own the histories now
        wasLeading = true;
      }
      return;
    }
    wasLeading = false;
    Set<String> present = new HashSet<>();
    for (ConsumerGroupPolicy policy : list(ConsumerGroupPolicy.class)) {
      String cluster = ResourceMeta.namespacedName(policy);
      present.add(cluster);
      follow(policy, cluster);
    }
    for (String cluster : store.policies().keySet()) {
      if (!present.contains(cluster)) {
        store.removePolicy(cluster);
      }
    }
    states.keySet().retainAll(present);
    snapshots.retainOnly(present);

    Set<String> monitors = new HashSet<>();
    for (LagMonitor monitor : list(LagMonitor.class)) {
      LagMonitorStatus status = monitor.getStatus();
      if (status == null || status.sources() == null || status.lastCheckTime() == null) {
        continue;
      }
      String name = ResourceMeta.namespacedName(monitor);
      monitors.add(name);
      store.monitor(
          name,
          Instant.parse(status.lastCheckTime()),
          status.sources(),
          thresholds(monitor.getSpec()),
          Map.of());
    }
    for (String name : store.monitors().keySet()) {
      if (!monitors.contains(name)) {
        store.removeMonitor(name);
      }
    }
  }

  private void follow(ConsumerGroupPolicy policy, String cluster) {
    PolicySettings settings;
    KafkaConnection connection;
    try {
      settings = PolicySpecReader.settings(policy.getSpec());
      connection = reconciler.connection(policy);
    } catch (RuntimeException e) {
      LOG.debug("Not following {}: {}", cluster, e.getMessage());
      return;
    }
    Followed followed = snapshots.follow(cluster, connection, settings).orElse(null);
    if (followed == null || followed.takenAt() == null) {
      return;
    }
    PolicyState state = states.get(cluster);
    if (state == null || state.history() != followed.history()) {
      state = new PolicyState(followed.history());
      states.put(cluster, state);
    }
    List<GroupEvaluation> groups =
        state.evaluate(
            new LagSnapshot(followed.takenAt(), followed.samples(), List.of()), settings);
    Map<String, GroupSample> samples = new HashMap<>();
    followed.samples().forEach(s -> samples.put(s.groupId(), s));
    store.publish(
        new PolicyView(
            cluster,
            followed.takenAt(),
            groups,
            samples,
            settings,
            followed.history()::read,
            Origin.SNAPSHOT,
            policy.getStatus() == null
                ? null
                : ConsumerGroupPolicyReconciler.decision(policy.getStatus().autoscale())));
  }

  private static Thresholds thresholds(LagMonitorSpec spec) {
    if (spec == null || spec.thresholds() == null) {
      return Thresholds.DEFAULTS;
    }
    LagMonitorSpec.Thresholds t = spec.thresholds();
    return new Thresholds(
        t.degraded() == null ? Thresholds.DEFAULTS.degraded() : t.degraded(),
        t.unhealthy() == null ? Thresholds.DEFAULTS.unhealthy() : t.unhealthy());
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> list(Class<T> type) {
    if (namespaces.isEmpty()) {
      return client.resources(type).inAnyNamespace().list().getItems();
    }
    List<T> items = new ArrayList<>();
    for (String namespace : namespaces) {
      items.addAll(client.resources(type).inNamespace(namespace).list().getItems());
    }
    return items;
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
