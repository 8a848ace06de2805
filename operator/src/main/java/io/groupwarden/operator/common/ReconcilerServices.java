package io.groupwarden.operator.common;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.groupwarden.operator.events.EventRecorder;
import io.groupwarden.operator.insight.InsightStore;
import io.groupwarden.operator.lag.KafkaAdminPool;
import io.groupwarden.operator.lag.KafkaConnections;
import io.groupwarden.operator.lag.SharedLagReads;
import io.groupwarden.operator.metrics.OwnedGauges;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator-wide collaborators the reconcilers share, made once when the operator starts and
 * handed to each reconciler alike; a reconciler's constructor adds only what is its own.
 *
 * @param client the Kubernetes client
 * @param kafka admin clients shared by every resource that names the same cluster
 * @param reads lag reads shared by every resource that watches the same groups
 * @param events where reconcilers record Kubernetes Events
 * @param gauges the per-resource metrics
 * @param insights what the insight API serves
 * @param clock the operator's clock
 * @param requestTimeout how long one Kafka admin request or Redis read may take
 *     (OperatorConfig#kafkaTimeout)
 * @param coordinatorAddress how the operator reaches a managed coordinator broker: a host:port
 *     template
 */
public record ReconcilerServices(
    KubernetesClient client,
    KafkaAdminPool kafka,
    SharedLagReads reads,
    EventRecorder events,
    OwnedGauges gauges,
    InsightStore insights,
    Clock clock,
    Duration requestTimeout,
    String coordinatorAddress) {

  /** Values out of Secrets in a resource's namespace. */
  public SecretValues secrets() {
    return new SecretValues(client);
  }

  /** Kafka connections from a resource's bootstrap servers, TLS and SASL Secrets. */
  public KafkaConnections connections() {
    return new KafkaConnections(secrets());
  }

  /** The coordinator broker a {@code policyRef} names, as its users and the operator reach it. */
  public ManagedCoordinatorLookup coordinators() {
    return new ManagedCoordinatorLookup(client, connections(), coordinatorAddress);
  }
}
