package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.groupwarden.operator.common.ResourceRef;
import io.groupwarden.operator.lagmonitor.customresource.LagMonitor;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Wakes a policy when a MongoSink or LagMonitor starts (or stops) using its managed coordinator, so
 * that their SCRAM users are made without waiting for the policy's next interval. Only creation,
 * deletion and spec changes count: status updates of those resources do not evaluate the policy
 * more often.
 */
public final class CoordinatorClientEvents {
  private CoordinatorClientEvents() {}

  public static List<EventSource<?, ConsumerGroupPolicy>> of(
      EventSourceContext<ConsumerGroupPolicy> context) {
    return List.of(
        source(MongoSink.class, CoordinatorClientEvents::policyOf, context),
        source(LagMonitor.class, CoordinatorClientEvents::policyOf, context));
  }

  /** The policy whose coordinator a sink's {@code spec.kafka.policyRef} names, or null. */
  public static String policyOf(MongoSink sink) {
    return sink.getSpec() == null || sink.getSpec().kafka() == null
        ? null
        : nameOf(sink.getSpec().kafka().policyRef());
  }

  /** The policy whose coordinator a monitor's {@code spec.kafka.policyRef} names, or null. */
  public static String policyOf(LagMonitor monitor) {
    return monitor.getSpec() == null || monitor.getSpec().kafka() == null
        ? null
        : nameOf(monitor.getSpec().kafka().policyRef());
  }

  private static String nameOf(ResourceRef ref) {
    return ref == null ? null : ref.name();
  }

  private static <R extends HasMetadata> EventSource<?, ConsumerGroupPolicy> source(
      Class<R> type,
      Function<R, String> policyRef,
      EventSourceContext<ConsumerGroupPolicy> context) {
    InformerEventSourceConfiguration<R> configuration =
        InformerEventSourceConfiguration.from(type, ConsumerGroupPolicy.class)
            .withName("coordinator-clients-" + type.getSimpleName())
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                resource -> {
                  String policy = policyRef.apply(resource);
                  return policy == null
                      ? Set.of()
                      : Set.of(new ResourceID(policy, resource.getMetadata().getNamespace()));
                })
            .withOnUpdateFilter(
                (now, before) ->
                    !Objects.equals(
                        now.getMetadata().getGeneration(), before.getMetadata().getGeneration()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }
}
