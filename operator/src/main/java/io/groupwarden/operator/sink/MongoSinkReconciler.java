package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.groupwarden.operator.common.KafkaFailures;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.ManagedCoordinatorLookup;
import io.groupwarden.operator.common.ReconcilerServices;
import io.groupwarden.operator.common.ResourceMeta;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.common.StatusPatch;
import io.groupwarden.operator.events.Notice;
import io.groupwarden.operator.governance.GroupSample.PartitionSample;
import io.groupwarden.operator.governance.MessageLag;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaLagCollector;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.policy.ManagedCoordinatorNames;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkStatus;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * Runs a MongoSink: reads the topic's partitions and the group's lag, decides the worker count,
 * makes sure the dead-letter topic exists, keeps the worker StatefulSet and Service in line, and
 * reports it in status and events.
 */
@ControllerConfiguration(name = "mongosink")
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "sink-service", type = SinkWorkerService.class),
      @Dependent(name = "sink-workers", type = SinkWorkerStatefulSet.class)
    })
public class MongoSinkReconciler implements Reconciler<MongoSink>, Cleaner<MongoSink> {
  private final ReconcilerServices services;
  private final KafkaLagCollector collector;
  private final SinkTopics topics;
  private final Duration resync;
  private final Map<ResourceID, List<TimedReplicas>> recommendations = new ConcurrentHashMap<>();

  public MongoSinkReconciler(
      ReconcilerServices services, KafkaLagCollector collector, Duration resync) {
    this.services = services;
    this.collector = collector;
    this.topics = new SinkTopics(services.requestTimeout());
    this.resync = resync;
  }

  /** The status each sink's last cycle wrote, the base of the next cycle's notices. */
  private final java.util.Map<ResourceID, MongoSinkStatus> written =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public UpdateControl<MongoSink> reconcile(MongoSink sink, Context<MongoSink> context) {
    MongoSinkStatus before = sink.getStatus();
    Instant now = services.clock().instant();
    long generation = ResourceMeta.generation(sink);
    String selector = SinkModel.selector(sink);
    MongoSinkStatus after;
    DeadLetterTopic deadLetterTopic = null;
    try {
      Cycle cycle = run(sink, context, now);
      deadLetterTopic = cycle.deadLetterTopic();
      after = MongoSinkStatusWriter.observed(before, generation, cycle.observed(), now);
    } catch (SpecProblem | KafkaUnavailableException | KafkaException e) {
      SpecProblem problem = KafkaFailures.asProblem(e, () -> "Kafka at " + address(sink));
      after =
          MongoSinkStatusWriter.failed(
              before, generation, selector, problem.reason(), problem.getMessage(), now);
    }
    // The cached resource can still carry the status from before this replica's last write (a
    // reconcile triggered by a worker's change before the patch reached the cache); notices compare
    // with what was last written, so a change is reported once and never missed.
    ResourceID id = ResourceID.fromResource(sink);
    MongoSinkStatus lastWritten = written.get(id);
    MongoSinkStatus noticeBase = lastWritten != null ? lastWritten : before;
    for (Notice notice : MongoSinkNotices.between(noticeBase, after, deadLetterTopic)) {
      services.events().record(sink, notice);
    }
    written.put(id, after);
    return UpdateControl.patchStatus(StatusPatch.of(sink, after, MongoSink::new))
        .rescheduleAfter(resync);
  }

  /** What one cycle read and decided, and what it found of the dead-letter topic. */
  private record Cycle(SinkObservation observed, DeadLetterTopic deadLetterTopic) {}

  /**
   * Reads the topic and the group's lag, decides the worker count and applies the worker
   * StatefulSet and Service.
   */
  private Cycle run(MongoSink sink, Context<MongoSink> context, Instant now) {
    MongoSinkSpec spec = sink.getSpec();
    String namespace = sink.getMetadata().getNamespace();
    String groupId =
        spec.kafka().groupId() != null ? spec.kafka().groupId() : sink.getMetadata().getName();
    String deadLetterTopicName =
        spec.kafka().deadLetterTopic() != null
            ? spec.kafka().deadLetterTopic()
            : spec.kafka().topic() + ".dlq";
    if (deadLetterTopicName.equals(spec.kafka().topic())) {
      throw SpecProblem.invalid("spec.kafka.deadLetterTopic", "must differ from spec.kafka.topic");
    }
    services
        .secrets()
        .requireKey(namespace, spec.mongodb().uriSecretRef(), "spec.mongodb.uriSecretRef");

    Endpoints endpoints = endpoints(sink);
    Admin admin = services.kafka().acquire(ResourceMeta.owner(sink), endpoints.operator());
    int partitions = topics.partitions(admin, spec.kafka().topic());
    DeadLetterTopic deadLetterTopic = topics.ensureDeadLetterTopic(admin, deadLetterTopicName);
    long lag = lag(admin, groupId, spec.kafka().topic(), partitions);

    Optional<StatefulSet> workers = context.getSecondaryResource(StatefulSet.class);
    int current =
        workers
            .map(s -> s.getSpec().getReplicas() == null ? 0 : s.getSpec().getReplicas())
            .orElse(0);
    ResourceID id = ResourceID.fromResource(sink);
    SinkScaling.Decision decision =
        SinkScaling.decide(
            spec, partitions, lag, current, recommendations.getOrDefault(id, List.of()), now);
    recommendations.put(id, decision.recommendations());

    context
        .managedWorkflowAndDependentResourceContext()
        .put(
            SinkPlan.class,
            new SinkPlan(
                endpoints.workers(),
                groupId,
                deadLetterTopicName,
                decision.replicas(),
                endpoints.tls(),
                endpoints.sasl(),
                endpoints.trustDigest()));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    Optional<StatefulSetStatus> observed = workers.map(StatefulSet::getStatus);
    int ready =
        observed.map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas()).orElse(0);
    int running = observed.map(s -> s.getReplicas() == null ? 0 : s.getReplicas()).orElse(0);
    return new Cycle(
        new SinkObservation(
            partitions,
            lag,
            current,
            running,
            ready,
            decision,
            endpoints.workers(),
            SinkModel.selector(sink)),
        deadLetterTopic);
  }

  private long lag(Admin admin, String groupId, String topic, int partitions) {
    LagSnapshot snapshot =
        collector.collect(admin, new GroupSelector(List.of(groupId), null, Set.of(topic)));
    // No group yet: the workers will start from the earliest offset, so all of it is lag.
    List<PartitionSample> sampled =
        snapshot.groups().isEmpty()
            ? topics.uncommitted(admin, topic, partitions)
            : snapshot.groups().get(0).partitions();
    return sampled.stream().mapToLong(MessageLag::of).sum();
  }

  /** The Kafka address for the workers and the connection the operator itself uses. */
  private Endpoints endpoints(MongoSink sink) {
    MongoSinkSpec.SinkKafkaSpec kafkaSpec = sink.getSpec().kafka();
    String namespace = sink.getMetadata().getNamespace();
    if (kafkaSpec.bootstrapServers() != null) {
      return new Endpoints(
          kafkaSpec.bootstrapServers(),
          services
              .connections()
              .resolve(
                  namespace,
                  kafkaSpec.bootstrapServers(),
                  kafkaSpec.tls(),
                  kafkaSpec.sasl(),
                  "spec.kafka"),
          kafkaSpec.tls(),
          kafkaSpec.sasl(),
          null);
    }
    // The workers and the operator's work for this sink use the sink's own SCRAM user.
    ManagedCoordinatorLookup.Coordinator coordinator =
        services
            .coordinators()
            .resolve(
                namespace,
                kafkaSpec.policyRef().name(),
                ManagedCoordinatorNames.sinkUser(sink.getMetadata().getName()),
                "spec.kafka.policyRef");
    return new Endpoints(
        coordinator.clients(),
        coordinator.operator(),
        coordinator.tls(),
        coordinator.sasl(),
        coordinator.trustDigest());
  }

  private record Endpoints(
      String workers, KafkaConnection operator, KafkaTls tls, KafkaSasl sasl, String trustDigest) {}

  /** The sink's Kafka cluster as its spec names it, for messages. */
  private static String address(MongoSink sink) {
    MongoSinkSpec.SinkKafkaSpec kafka = sink.getSpec().kafka();
    return kafka.bootstrapServers() != null
        ? kafka.bootstrapServers()
        : "the coordinator of policy " + kafka.policyRef().name();
  }

  @Override
  public DeleteControl cleanup(MongoSink sink, Context<MongoSink> context) {
    recommendations.remove(ResourceID.fromResource(sink));
    written.remove(ResourceID.fromResource(sink));
    services.kafka().release(ResourceMeta.owner(sink));
    return DeleteControl.defaultDelete();
  }
}
