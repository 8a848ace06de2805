package io.groupwarden.operator.policy;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.common.KafkaFailures;
import io.groupwarden.operator.common.ResourceMeta;
import io.groupwarden.operator.common.SecretValues;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.common.StatusPatch;
import io.groupwarden.operator.events.EventRecorder;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.insight.AutoscaleDecision;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.insight.InsightStore.Origin;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaAdminPool;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaConnections;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lag.SharedLagReads;
import io.groupwarden.operator.lag.SharedLagReads.LagRequest;
import io.groupwarden.operator.lag.SharedRecordReads;
import io.groupwarden.operator.metrics.OwnedGauges;
import io.groupwarden.operator.policy.coordinator.CoordinatorConfigMap;
import io.groupwarden.operator.policy.coordinator.CoordinatorHeadlessService;
import io.groupwarden.operator.policy.coordinator.CoordinatorRequested;
import io.groupwarden.operator.policy.coordinator.CoordinatorService;
import io.groupwarden.operator.policy.coordinator.CoordinatorStatefulSet;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicySpec;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.AutoscaleStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.snapshot.HistorySnapshots;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a ConsumerGroupPolicy every {@code spec.interval}: collect the groups' offsets,
 * evaluate them, scale the consuming workload, write the status, publish metrics, and record events
 * for what changed.
 */
@ControllerConfiguration(name = "consumergrouppolicy")
@Workflow(
    dependents = {
      @Dependent(
          name = "coordinator-config",
          type = CoordinatorConfigMap.class,
          reconcilePrecondition = CoordinatorRequested.class),
      @Dependent(
          name = "coordinator-headless",
          type = CoordinatorHeadlessService.class,
          reconcilePrecondition = CoordinatorRequested.class),
      @Dependent(
          name = "coordinator-service",
          type = CoordinatorService.class,
          reconcilePrecondition = CoordinatorRequested.class),
      @Dependent(
          name = "coordinator",
          type = CoordinatorStatefulSet.class,
          reconcilePrecondition = CoordinatorRequested.class,
          dependsOn = {"coordinator-config", "coordinator-headless"})
    })
public class ConsumerGroupPolicyReconciler
    implements Reconciler<ConsumerGroupPolicy>, Cleaner<ConsumerGroupPolicy> {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupPolicyReconciler.class);
  private static final Duration RETRY_AFTER_PROBLEM = Duration.ofSeconds(30);

  private final KafkaAdminPool kafka;
  private final SharedLagReads reads;
  private final SharedRecordReads records;
  private final KafkaConnections connections;
  private final PolicyAutoscaler autoscaler;
  private final EventRecorder events;
  private final OwnedGauges gauges;
  private final InsightStore insights;
  private final HistorySnapshots snapshots;
  private final Clock clock;
  private final String coordinatorAddress;
  private final Map<ResourceID, PolicyState> states = new ConcurrentHashMap<>();

  public ConsumerGroupPolicyReconciler(
      KubernetesClient client,
      KafkaAdminPool kafka,
      SharedLagReads reads,
      SharedRecordReads records,
      EventRecorder events,
      OwnedGauges gauges,
      InsightStore insights,
      HistorySnapshots snapshots,
      Clock clock,
      String coordinatorAddress) {
    this.insights = insights;
    this.snapshots = snapshots;
    this.coordinatorAddress = coordinatorAddress;
    this.kafka = kafka;
    this.reads = reads;
    this.records = records;
    this.connections = new KafkaConnections(new SecretValues(client));
    this.autoscaler = new PolicyAutoscaler(client, events);
    this.events = events;
    this.gauges = gauges;
    this.clock = clock;
  }

  @Override
  public UpdateControl<ConsumerGroupPolicy> reconcile(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    ConsumerGroupPolicyStatus before = policy.getStatus();
    long generation = ResourceMeta.generation(policy);
    Instant now = clock.instant();
    PolicySettings settings = PolicySettings.defaults();
    CoordinatorStatus coordinator = coordinatorStatus(policy, context);
    ConsumerGroupPolicyStatus after;
    Duration next = RETRY_AFTER_PROBLEM;
    try {
      settings = PolicySpecReader.settings(policy.getSpec());
      next = settings.interval();
      if (coordinator != null && !coordinator.ready()) {
        throw new SpecProblem(
            "CoordinatorNotReady",
            "waiting for the coordinator broker (StatefulSet "
                + ManagedCoordinatorNames.name(policy)
                + ") to become ready");
      }
      GroupSelector selector = PolicySpecReader.selector(policy.getSpec());
      KafkaConnection connection = connection(policy);
      String cluster = ResourceMeta.namespacedName(policy);
      Admin admin = kafka.acquire(ResourceMeta.owner(policy), connection);
      PolicyState state = states.get(ResourceID.fromResource(policy));
      if (state == null) {
        // the first evaluation here continues the history the previous leader left
        state = new PolicyState(snapshots.restore(cluster, admin, connection, settings));
        states.put(ResourceID.fromResource(policy), state);
      }
      PolicySettings current = settings;
      LagSnapshot snapshot =
          state.sample(
              notBefore ->
                  reads.read(
                      connection,
                      admin,
                      new LagRequest(selector, true, notBefore, current.interval())),
              wanted ->
                  records.timestamps(
                      connection, () -> kafka.recordReader(ResourceMeta.owner(policy)), wanted),
              settings,
              now);
      List<GroupEvaluation> groups = state.evaluate(snapshot, settings);
      AutoscaleStatus autoscale = null;
      SpecProblem scaleProblem = null;
      if (settings.autoscale() != null) {
        try {
          autoscale = autoscaler.apply(policy, settings, groups, state, now);
        } catch (SpecProblem problem) {
          scaleProblem = problem;
        }
      }
      after =
          PolicyStatusWriter.evaluated(
              before,
              generation,
              settings,
              groups,
              samplesById(snapshot),
              snapshot.missingGroups(),
              coordinator,
              autoscale,
              snapshot.time());
      if (scaleProblem != null) {
        after = PolicyStatusWriter.withReadyProblem(after, scaleProblem, generation, now);
      }
      gauges.publish(
          ResourceMeta.owner(policy), PolicyMetrics.of(namespace(policy), name(policy), groups));
      insights.publish(
          new PolicyView(
              cluster,
              snapshot.time(),
              groups,
              samplesById(snapshot),
              settings,
              state.history()::read,
              Origin.LEADER,
              decision(autoscale)));
      snapshots.write(cluster, admin, connection, state.history(), settings, snapshot.time());
    } catch (SpecProblem | KafkaUnavailableException | KafkaException e) {
      if (e instanceof KafkaUnavailableException) {
        forgetLastSample(policy);
      }
      SpecProblem problem =
          KafkaFailures.asProblem(e, () -> "consumer groups from " + bootstrapOf(policy));
      after =
          PolicyStatusWriter.failed(
              before, generation, problem.reason(), problem.getMessage(), coordinator, now);
    }
    for (Notice notice : PolicyNotices.between(before, after, settings)) {
      events.record(policy, notice);
    }
    return UpdateControl.patchStatus(StatusPatch.of(policy, after, ConsumerGroupPolicy::new))
        .rescheduleAfter(next);
  }

  @Override
  public DeleteControl cleanup(ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    states.remove(ResourceID.fromResource(policy));
    kafka.release(ResourceMeta.owner(policy));
    gauges.remove(ResourceMeta.owner(policy));
    insights.removePolicy(ResourceMeta.namespacedName(policy));
    snapshots.forget(ResourceMeta.namespacedName(policy));
    LOG.info("Stopped governing {}/{}", namespace(policy), name(policy));
    return DeleteControl.defaultDelete();
  }

  /** The autoscaler's decision as the insight API shows it. */
  static AutoscaleDecision decision(AutoscaleStatus autoscale) {
    return autoscale == null
        ? null
        : new AutoscaleDecision(
            autoscale.target(),
            autoscale.currentReplicas(),
            autoscale.desiredReplicas(),
            autoscale.lastScaleTime(),
            autoscale.message());
  }

  private static Map<String, GroupSample> samplesById(LagSnapshot snapshot) {
    Map<String, GroupSample> samples = new HashMap<>();
    for (GroupSample sample : snapshot.groups()) {
      samples.put(sample.groupId(), sample);
    }
    return samples;
  }

  /** How the operator reaches the policy's cluster (also used by a standby replica). */
  KafkaConnection connection(ConsumerGroupPolicy policy) {
    ConsumerGroupPolicySpec spec = policy.getSpec();
    if (spec.kafka().bootstrapServers() != null) {
      return connections.resolve(
          namespace(policy),
          spec.kafka().bootstrapServers(),
          spec.kafka().tls(),
          spec.kafka().sasl(),
          "spec.kafka");
    }
    return KafkaConnection.plaintext(
        ManagedCoordinatorNames.operatorAddress(policy, coordinatorAddress));
  }

  private static CoordinatorStatus coordinatorStatus(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    if (policy.getSpec() == null
        || policy.getSpec().kafka() == null
        || policy.getSpec().kafka().coordinator() == null) {
      return null;
    }
    boolean ready =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(StatefulSet::getStatus)
            .map(status -> status.getReadyReplicas() != null && status.getReadyReplicas() >= 1)
            .orElse(false);
    return new CoordinatorStatus(ManagedCoordinatorNames.bootstrapServers(policy), ready);
  }

  private void forgetLastSample(ConsumerGroupPolicy policy) {
    PolicyState state = states.get(ResourceID.fromResource(policy));
    if (state != null) {
      state.forgetLastSample();
    }
  }

  private String bootstrapOf(ConsumerGroupPolicy policy) {
    String servers = policy.getSpec().kafka().bootstrapServers();
    return servers != null
        ? servers
        : ManagedCoordinatorNames.operatorAddress(policy, coordinatorAddress);
  }

  private static String namespace(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getNamespace();
  }

  private static String name(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getName();
  }
}
