package io.groupwarden.operator.sink;

import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;

/**
 * What the reconciler decided for a sink this cycle, which the worker StatefulSet is built from.
 *
 * @param bootstrapServers the Kafka address the workers use
 * @param groupId the consumer group
 * @param deadLetterTopic where poison messages go
 * @param replicas workers to run
 * @param tls the workers' TLS settings (the spec's, or a managed coordinator's CA), or null
 * @param sasl the workers' SASL credentials (the spec's, or their managed coordinator user), or
 *     null
 * @param trustDigest changes when the CA the workers trust changes, so that they restart with it;
 *     null when the spec names the Secrets
 */
public record SinkPlan(
    String bootstrapServers,
    String groupId,
    String deadLetterTopic,
    int replicas,
    KafkaTls tls,
    KafkaSasl sasl,
    String trustDigest) {

  /** A plan for workers that connect without TLS or SASL. */
  public SinkPlan(String bootstrapServers, String groupId, String deadLetterTopic, int replicas) {
    this(bootstrapServers, groupId, deadLetterTopic, replicas, null, null, null);
  }
}
