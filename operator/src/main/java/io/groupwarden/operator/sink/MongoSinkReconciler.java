package io.groupwarden.operator.sink;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.common.Condition;
import io.groupwarden.operator.common.Conditions;
import io.groupwarden.operator.common.SecretValues;
import io.groupwarden.operator.common.SpecProblem;
import io.groupwarden.operator.events.EventRecorder;
import io.groupwarden.operator.governance.GroupSample;
import io.groupwarden.operator.governance.ScaleDecider.TimedReplicas;
import io.groupwarden.operator.lag.GroupSelector;
import io.groupwarden.operator.lag.KafkaAdminPool;
import io.groupwarden.operator.lag.KafkaConnection;
import io.groupwarden.operator.lag.KafkaConnections;
import io.groupwarden.operator.lag.KafkaLagCollector;
import io.groupwarden.operator.lag.KafkaUnavailableException;
import io.groupwarden.operator.lag.LagSnapshot;
import io.groupwarden.operator.policy.ManagedCoordinatorLookup;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
  static final String READY = "Ready";
  static final String SCALING = "Scaling";

  private final KafkaAdminPool kafka;
  private final KafkaLagCollector collector;
  private final KafkaConnections connections;
  private final SecretValues secrets;
  private final SinkTopics topics;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration resync;
  private final ManagedCoordinatorLookup coordinators;
  private final Map<ResourceID, List<TimedReplicas>> recommendations = new ConcurrentHashMap<>();

  public MongoSinkReconciler(
      KubernetesClient client,
      KafkaAdminPool kafka,
      KafkaLagCollector collector,
      EventRecorder events,
      Clock clock,
      Duration kafkaTimeout,
      Duration resync,
      String coordinatorAddress) {
    this.kafka = kafka;
    this.collector = collector;
    this.secrets = new SecretValues(client);
    this.connections = new KafkaConnections(secrets);
    this.topics = new SinkTopics(kafkaTimeout);
    this.events = events;
    this.clock = clock;
    this.resync = resync;
    this.coordinators = new ManagedCoordinatorLookup(client, coordinatorAddress);
  }

  @Override
  public UpdateControl<MongoSink> reconcile(MongoSink sink, Context<MongoSink> context) {
    MongoSinkStatus before = sink.getStatus();
    Instant now = clock.instant();
    MongoSinkStatus after;
    try {
      after = run(sink, context, before, now);
    } catch (SpecProblem problem) {
      after = failed(sink, before, problem.reason(), problem.getMessage(), now);
    } catch (KafkaUnavailableException e) {
      after = failed(sink, before, "KafkaUnreachable", "cannot read Kafka: " + e.getMessage(), now);
    } catch (KafkaException e) {
      after =
          failed(
              sink,
              before,
              "InvalidBootstrapServers",
              "spec.kafka.bootstrapServers: " + e.getMessage(),
              now);
    }
    return UpdateControl.patchStatus(withStatus(sink, after)).rescheduleAfter(resync);
  }

  private MongoSinkStatus run(
      MongoSink sink, Context<MongoSink> context, MongoSinkStatus before, Instant now) {
    MongoSinkSpec spec = sink.getSpec();
    String namespace = sink.getMetadata().getNamespace();
    String groupId =
        spec.kafka().groupId() != null ? spec.kafka().groupId() : sink.getMetadata().getName();
    String deadLetterTopic =
        spec.kafka().deadLetterTopic() != null
            ? spec.kafka().deadLetterTopic()
            : spec.kafka().topic() + ".dlq";
    if (deadLetterTopic.equals(spec.kafka().topic())) {
      throw SpecProblem.invalid("spec.kafka.deadLetterTopic", "must differ from spec.kafka.topic");
    }
    secrets.requireKey(namespace, spec.mongodb().uriSecretRef(), "spec.mongodb.uriSecretRef");

    Endpoints endpoints = endpoints(sink);
    Admin admin = kafka.acquire(owner(sink), endpoints.operator());
    int partitions = topics.partitions(admin, spec.kafka().topic());
    String topicNote = topics.ensureDeadLetterTopic(admin, deadLetterTopic);
    long lag = lag(admin, groupId, spec.kafka().topic(), partitions);

    int current =
        context
            .getSecondaryResource(StatefulSet.class)
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
            new SinkPlan(endpoints.workers(), groupId, deadLetterTopic, decision.replicas()));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();

    String lastScaleTime = before == null ? null : before.lastScaleTime();
    boolean existed = context.getSecondaryResource(StatefulSet.class).isPresent() && current > 0;
    if (decision.replicas() != current) {
      lastScaleTime = timestamp(now);
      if (existed) {
        events.normal(
            sink,
            "Scaled",
            "scaled workers from "
                + current
                + " to "
                + decision.replicas()
                + " ("
                + decision.reason()
                + ", lag "
                + lag
                + " messages on "
                + partitions
                + " partitions): "
                + decision.message());
      }
    }
    if (topicNote != null) {
      events.normal(sink, "DeadLetterTopic", topicNote);
    }

    int ready =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(StatefulSet::getStatus)
            .map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas())
            .orElse(0);
    int running =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(StatefulSet::getStatus)
            .map(s -> s.getReplicas() == null ? 0 : s.getReplicas())
            .orElse(0);
    Conditions conditions = new Conditions(conditionsOf(before), generation(sink), now);
    if (ready >= decision.replicas()) {
      conditions.isTrue(READY, "Running", ready + " of " + decision.replicas() + " workers ready");
    } else {
      conditions.isFalse(
          READY, "WorkersStarting", ready + " of " + decision.replicas() + " workers ready");
    }
    boolean scaling = decision.replicas() != current || running != decision.replicas();
    conditions.set(SCALING, scaling, decision.reason().name(), decision.message());
    return new MongoSinkStatus(
        generation(sink),
        conditions.build(),
        partitions,
        running,
        ready,
        decision.replicas(),
        lag,
        lastScaleTime,
        SinkModel.selector(sink),
        endpoints.workers());
  }

  private long lag(Admin admin, String groupId, String topic, int partitions) {
    LagSnapshot snapshot =
        collector.collect(admin, new GroupSelector(List.of(groupId), null, Set.of(topic)));
    if (snapshot.groups().isEmpty()) {
      // No group yet: the workers will start from the earliest offset, so all of it is lag.
      return topics.backlog(admin, topic, partitions);
    }
    long lag = 0;
    for (GroupSample.PartitionSample p : snapshot.groups().get(0).partitions()) {
      long from =
          p.committedOffset() != null ? p.committedOffset() : Math.max(0, p.logStartOffset());
      lag += Math.max(0, p.logEndOffset() - from);
    }
    return lag;
  }

  /** The Kafka address for the workers and the connection the operator itself uses. */
  private Endpoints endpoints(MongoSink sink) {
    MongoSinkSpec.SinkKafkaSpec kafkaSpec = sink.getSpec().kafka();
    String namespace = sink.getMetadata().getNamespace();
    if (kafkaSpec.bootstrapServers() != null) {
      return new Endpoints(
          kafkaSpec.bootstrapServers(),
          connections.resolve(
              namespace,
              kafkaSpec.bootstrapServers(),
              kafkaSpec.tls(),
              kafkaSpec.sasl(),
              "spec.kafka"));
    }
    ManagedCoordinatorLookup.Addresses addresses =
        coordinators.resolve(namespace, kafkaSpec.policyRef().name(), "spec.kafka.policyRef");
    return new Endpoints(addresses.clients(), addresses.operator());
  }

  private record Endpoints(String workers, KafkaConnection operator) {}

  @Override
  public DeleteControl cleanup(MongoSink sink, Context<MongoSink> context) {
    recommendations.remove(ResourceID.fromResource(sink));
    kafka.release(owner(sink));
    return DeleteControl.defaultDelete();
  }

  private MongoSinkStatus failed(
      MongoSink sink, MongoSinkStatus before, String reason, String message, Instant now) {
    Conditions conditions = new Conditions(conditionsOf(before), generation(sink), now);
    conditions.isFalse(READY, reason, message);
    Condition scaling = Conditions.find(conditionsOf(before), SCALING).orElse(null);
    if (scaling != null) {
      conditions.copy(scaling);
    }
    if (before == null) {
      return new MongoSinkStatus(
          generation(sink),
          conditions.build(),
          null,
          null,
          null,
          null,
          null,
          null,
          SinkModel.selector(sink),
          null);
    }
    return new MongoSinkStatus(
        generation(sink),
        conditions.build(),
        before.partitions(),
        before.replicas(),
        before.readyReplicas(),
        before.desiredReplicas(),
        before.lag(),
        before.lastScaleTime(),
        SinkModel.selector(sink),
        before.bootstrapServers());
  }

  private static List<Condition> conditionsOf(MongoSinkStatus status) {
    return status == null || status.conditions() == null ? List.of() : status.conditions();
  }

  private static MongoSink withStatus(MongoSink sink, MongoSinkStatus status) {
    MongoSink patch = new MongoSink();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(sink.getMetadata().getName())
            .withNamespace(sink.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  private static String owner(MongoSink sink) {
    return "sink/" + sink.getMetadata().getNamespace() + "/" + sink.getMetadata().getName();
  }

  private static long generation(MongoSink sink) {
    Long generation = sink.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
