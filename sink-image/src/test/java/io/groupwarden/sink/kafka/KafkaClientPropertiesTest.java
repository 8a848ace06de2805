package io.groupwarden.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupwarden.sink.config.SinkConfig;
import io.groupwarden.sink.config.SinkEnvironments;
import java.util.Map;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

class KafkaClientPropertiesTest {
  private static SinkConfig config(Map<String, String> extra) {
    Map<String, String> env = SinkEnvironments.firstWorker("kafka:9092", "mongodb://mongo/db", 250);
    env.putAll(extra);
    return SinkConfig.fromEnvironment(env);
  }

  @Test
  void theConsumerCommitsByHandIsStaticAndCooperative() {
    Map<String, Object> props = KafkaClientProperties.consumer(config(Map.of()));

    assertThat(props)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("group.id", "orders-sink")
        .containsEntry("group.instance.id", "orders-sink-0")
        .containsEntry("group.protocol", "classic")
        .containsEntry("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
        .containsEntry("session.timeout.ms", 45_000)
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", 500) // a batch of 250, but at least 500 per poll
        .containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKey("sasl.jaas.config");
  }

  @Test
  void saslCredentialsBecomeAJaasLine() {
    Map<String, Object> props =
        KafkaClientProperties.deadLetterProducer(
            config(
                Map.of(
                    "SINK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "SINK_KAFKA_SASL_MECHANISM", "PLAIN",
                    "SINK_KAFKA_SASL_USERNAME", "sink",
                    "SINK_KAFKA_SASL_PASSWORD", "p\"w\\d")));

    assertThat(props)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"sink\" password=\"p\\\"w\\\\d\";");
  }

  @Test
  void scramUsesTheScramModule() {
    Map<String, Object> props =
        KafkaClientProperties.consumer(
            config(
                Map.of(
                    "SINK_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "SINK_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                    "SINK_KAFKA_SASL_USERNAME", "u",
                    "SINK_KAFKA_SASL_PASSWORD", "p")));

    assertThat(props.get("sasl.jaas.config").toString())
        .startsWith("org.apache.kafka.common.security.scram.ScramLoginModule required");
  }
}
