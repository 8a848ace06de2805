package io.groupwarden.operator.snapshot;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicyStatus.GroupStatus;
import io.groupwarden.operator.support.KafkaTestClients;
import io.groupwarden.operator.support.ProducerLoop;
import io.groupwarden.operator.support.TestResources;
import io.groupwarden.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Two groups whose numbers depend on history an operator would lose with its memory:
 *
 * <ul>
 *   <li>{@code <prefix>-stuck}: its one partition is committed at 0 and never again while records
 *       keep arriving, so it is stuck (STOP) from the first sample on; its {@code since} is that
 *       sample's time, which a history that started later cannot know;
 *   <li>{@code <prefix>-slo}: one of its two partitions was 100 messages behind for a while and
 *       then caught up; over a 60 s window its p95 lag stays above the bound of 10, so compliance
 *       stays at 0.5 — a history that starts after the catch-up says 1.0.
 * </ul>
 */
final class ContinuityScenario implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(90);

  final String namespace;
  final String policy;
  final String stuckGroup;
  final String sloGroup;
  private final KafkaTestClients kafka;
  private final ProducerLoop producer;
  private final String sloTopic;

  ContinuityScenario(KafkaBroker broker, String namespace, String prefix) {
    this.namespace = namespace;
    this.policy = prefix;
    this.stuckGroup = prefix + "-stuck";
    this.sloGroup = prefix + "-slo";
    this.kafka = new KafkaTestClients(broker.bootstrapServers());
    String stuckTopic = prefix + "-events";
    sloTopic = prefix + "-orders";
    kafka.createTopic(stuckTopic, 1);
    kafka.createTopic(sloTopic, 2);
    kafka.produce(sloTopic, 2, 100);
    kafka.commit(stuckGroup, stuckTopic, 0);
    kafka.commit(sloGroup, sloTopic, 100, 0);
    producer = new ProducerLoop(broker.bootstrapServers(), stuckTopic, 1, 10);
  }

  /** The policy governing both groups: evaluated every second, SLO in messages over 60 s. */
  void apply(KubernetesClient client, String bootstrap) {
    TestResources.applySpec(
        client,
        ConsumerGroupPolicy.class,
        namespace,
        policy,
        TestResources.policySpec(
            bootstrap,
            """
            groups: [%s, %s]
            stuck: {window: 3s}
            slo: {maxLagP95Messages: 10, window: 60s, complianceTarget: 0.9}
            """
                .formatted(stuckGroup, sloGroup)));
  }

  /** The lagging partition of the SLO group catches up. */
  void catchUp() {
    kafka.commit(sloGroup, sloTopic, 100, 100);
  }

  ConsumerGroupPolicyStatus awaitStatus(
      KubernetesClient client, Predicate<ConsumerGroupPolicyStatus> condition) {
    return TestResources.awaitStatus(
        client, ConsumerGroupPolicy.class, namespace, policy, PATIENCE, condition);
  }

  /** A status written from an evaluation at or after {@code instant}. */
  static boolean evaluatedAfter(ConsumerGroupPolicyStatus status, Instant instant) {
    return status.lastEvaluationTime() != null
        && !Instant.parse(status.lastEvaluationTime()).isBefore(instant);
  }

  static Optional<GroupStatus> group(ConsumerGroupPolicyStatus status, String groupId) {
    return status.groups() == null
        ? Optional.empty()
        : status.groups().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
  }

  /** The {@code since} of the stuck group's partition, when it is reported stuck. */
  Optional<String> stuckSince(ConsumerGroupPolicyStatus status) {
    return group(status, stuckGroup)
        .filter(g -> g.stuckPartitions() != null && !g.stuckPartitions().isEmpty())
        .map(g -> g.stuckPartitions().get(0).since());
  }

  Optional<Double> sloCompliance(ConsumerGroupPolicyStatus status) {
    return group(status, sloGroup).map(GroupStatus::sloCompliance);
  }

  @Override
  public void close() {
    producer.close();
    kafka.close();
  }
}
