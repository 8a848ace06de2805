package io.groupwarden.operator.policy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.groupwarden.operator.common.KafkaFailures;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.ReconcilerServices;
import io.groupwarden.operator.common.ResourceMeta;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.common.StatusPatch;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.PolicySettings;
import io.groupwarden.operator.insight.AutoscaleDecision;
import io.groupwarden.operator.insight.InsightStore.Origin;
import io.groupwarden.operator.insight.InsightStore.PolicyView;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.lag.SharedLagReads.LagRequest;
import io.groupwarden.operator.lag.SharedRecordReads;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.coordinator.CoordinatorAccess;
import io.groupwarden.operator.policy.coordinator.CoordinatorClientEvents;
import io.groupwarden.operator.policy.coordinator.CoordinatorConfigMap;
import io.groupwarden.operator.policy.coordinator.CoordinatorCredentials;
import io.groupwarden.operator.policy.coordinator.CoordinatorHeadlessService;
import io.groupwarden.operator.policy.coordinator.CoordinatorModel;
import io.groupwarden.operator.policy.coordinator.CoordinatorRequested;
import io.groupwarden.operator.policy.coordinator.CoordinatorSecrets;
import io.groupwarden.operator.policy.coordinator.CoordinatorService;
import io.groupwarden.operator.policy.coordinator.CoordinatorStatefulSet;
import io.groupwarden.operator.policy.coordinator.CoordinatorUserSync;
import io.groupwarden.operator.policy.coordinator.CoordinatorUsers;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicySpec;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.AutoscaleStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.CoordinatorUser;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.snapshot.HistorySnapshots;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
    // invoked after the coordinator's Secrets are in place, which the StatefulSet mounts
    explicitInvocation = true,
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

  private final ReconcilerServices services;
  private final SharedRecordReads records;
  private final PolicyAutoscaler autoscaler;
  private final HistorySnapshots snapshots;
  private final Map<ResourceID, PolicyState> states = new ConcurrentHashMap<>();
  private final CoordinatorCredentials credentials;
  private final Map<ResourceID, CoordinatorStatus> lastCoordinator = new ConcurrentHashMap<>();
  private final CoordinatorUserSync userSync = new CoordinatorUserSync(Duration.ofSeconds(10));

  public ConsumerGroupPolicyReconciler(
      ReconcilerServices services, SharedRecordReads records, HistorySnapshots snapshots) {
    this.services = services;
    this.records = records;
    this.snapshots = snapshots;
    this.credentials = new CoordinatorCredentials(services.client());
    this.autoscaler = new PolicyAutoscaler(services.client(), services.events());
  }

  @Override
  public UpdateControl<ConsumerGroupPolicy> reconcile(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    ConsumerGroupPolicyStatus before = policy.getStatus();
    long generation = ResourceMeta.generation(policy);
    Instant now = services.clock().instant();
    PolicySettings settings = PolicySettings.defaults();
    CoordinatorAccess access = null;
    SpecProblem accessProblem = null;
    if (coordinatorRequested(policy)) {
      try {
        access = coordinatorAccess(policy, before, now);
        context.managedWorkflowAndDependentResourceContext().put(CoordinatorAccess.class, access);
      } catch (SpecProblem problem) {
        accessProblem = problem;
      }
    }
    if (accessProblem == null) {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    CoordinatorStatus coordinator = coordinatorStatus(policy, context, access);
    ConsumerGroupPolicyStatus after;
    Duration next = RETRY_AFTER_PROBLEM;
    try {
      if (accessProblem != null) {
        throw accessProblem;
      }
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
      Admin admin = services.kafka().acquire(ResourceMeta.owner(policy), connection);
      if (access != null) {
        userSync.apply(admin, cluster, access.passwords(), retired(before, access));
      }
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
                  services
                      .reads()
                      .read(
                          connection,
                          admin,
                          new LagRequest(selector, true, notBefore, current.interval())),
              wanted ->
                  records.timestamps(
                      connection,
                      () -> services.kafka().recordReader(ResourceMeta.owner(policy)),
                      wanted),
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
      services
          .gauges()
          .publish(
              ResourceMeta.owner(policy),
              PolicyMetrics.of(namespace(policy), name(policy), groups));
      services
          .insights()
          .publish(
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
      services.events().record(policy, notice);
    }
    return UpdateControl.patchStatus(StatusPatch.of(policy, after, ConsumerGroupPolicy::new))
        .rescheduleAfter(next);
  }

  @Override
  public List<EventSource<?, ConsumerGroupPolicy>> prepareEventSources(
      EventSourceContext<ConsumerGroupPolicy> context) {
    return CoordinatorClientEvents.of(context);
  }

  @Override
  public DeleteControl cleanup(ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context) {
    states.remove(ResourceID.fromResource(policy));
    lastCoordinator.remove(ResourceID.fromResource(policy));
    userSync.forget(ResourceMeta.namespacedName(policy));
    services.kafka().release(ResourceMeta.owner(policy));
    services.gauges().remove(ResourceMeta.owner(policy));
    services.insights().removePolicy(ResourceMeta.namespacedName(policy));
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
      return services
          .connections()
          .resolve(
              namespace(policy),
              spec.kafka().bootstrapServers(),
              spec.kafka().tls(),
              spec.kafka().sasl(),
              "spec.kafka");
    }
    // The operator's own SCRAM user, from the Secret it made, over TLS with the coordinator's CA.
    CoordinatorStatus managed = coordinatorStatus(policy);
    return services
        .connections()
        .resolve(
            namespace(policy),
            ManagedCoordinatorNames.operatorAddress(policy, services.coordinatorAddress()),
            new KafkaTls(managed.caSecret(), null, null),
            new KafkaSasl(
                KafkaSasl.Mechanism.SCRAM_SHA_512,
                null,
                new SecretKeyRef(operatorSecret(policy), CoordinatorSecrets.USERNAME),
                new SecretKeyRef(operatorSecret(policy), CoordinatorSecrets.PASSWORD)),
            "spec.kafka.coordinator");
  }

  private CoordinatorStatus coordinatorStatus(ConsumerGroupPolicy policy) {
    CoordinatorStatus status = lastCoordinator.get(ResourceID.fromResource(policy));
    if (status == null || status.caSecret() == null) {
      throw new SpecProblem(
          "CoordinatorNotReady", "the coordinator's Secrets are not in place yet");
    }
    return status;
  }

  private static String operatorSecret(ConsumerGroupPolicy policy) {
    return ManagedCoordinatorNames.userSecretName(policy, ManagedCoordinatorNames.OPERATOR_USER);
  }

  /** Makes the coordinator's Secrets and names its users: its own, the spec's, its clients'. */
  private CoordinatorAccess coordinatorAccess(
      ConsumerGroupPolicy policy, ConsumerGroupPolicyStatus before, Instant now) {
    String namespace = namespace(policy);
    String name = name(policy);
    List<String> sinks =
        clientsOf(MongoSink.class, CoordinatorClientEvents::policyOf, namespace, name);
    List<String> monitors =
        clientsOf(LagMonitor.class, CoordinatorClientEvents::policyOf, namespace, name);
    return credentials.ensure(
        policy, CoordinatorUsers.desired(policy, sinks, monitors), previousUsers(before), now);
  }

  /**
   * The names of the resources of {@code type} in the namespace that use the policy's coordinator.
   */
  private <R extends HasMetadata> List<String> clientsOf(
      Class<R> type, Function<R, String> policyOf, String namespace, String policy) {
    return services.client().resources(type).inNamespace(namespace).list().getItems().stream()
        .filter(resource -> policy.equals(policyOf.apply(resource)))
        .map(resource -> resource.getMetadata().getName())
        .toList();
  }

  private static List<CoordinatorUser> previousUsers(ConsumerGroupPolicyStatus before) {
    return before == null || before.coordinator() == null || before.coordinator().users() == null
        ? List.of()
        : before.coordinator().users();
  }

  private static Set<String> retired(ConsumerGroupPolicyStatus before, CoordinatorAccess access) {
    Set<String> retired = new HashSet<>();
    previousUsers(before).forEach(u -> retired.add(u.name()));
    access.users().forEach(u -> retired.remove(u.name()));
    return retired;
  }

  private static boolean coordinatorRequested(ConsumerGroupPolicy policy) {
    return policy.getSpec() != null
        && policy.getSpec().kafka() != null
        && policy.getSpec().kafka().coordinator() != null;
  }

  private CoordinatorStatus coordinatorStatus(
      ConsumerGroupPolicy policy, Context<ConsumerGroupPolicy> context, CoordinatorAccess access) {
    if (!coordinatorRequested(policy)) {
      lastCoordinator.remove(ResourceID.fromResource(policy));
      return null;
    }
    boolean ready =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(StatefulSet::getStatus)
            .map(status -> status.getReadyReplicas() != null && status.getReadyReplicas() >= 1)
            .orElse(false);
    CoordinatorStatus status =
        access == null
            ? new CoordinatorStatus(ManagedCoordinatorNames.bootstrapServers(policy), ready)
            : new CoordinatorStatus(
                ManagedCoordinatorNames.bootstrapServers(policy),
                ready,
                "SASL_SSL",
                KafkaSasl.Mechanism.SCRAM_SHA_512.kafkaName(),
                access.caSecret(),
                CoordinatorModel.of(policy, "").plaintextListener()
                    ? ManagedCoordinatorNames.plaintextBootstrapServers(policy)
                    : null,
                access.httpTokenSecret(),
                access.users());
    lastCoordinator.put(ResourceID.fromResource(policy), status);
    return status;
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
        : ManagedCoordinatorNames.operatorAddress(policy, services.coordinatorAddress());
  }

  private static String namespace(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getNamespace();
  }

  private static String name(ConsumerGroupPolicy policy) {
    return policy.getMetadata().getName();
  }
}
