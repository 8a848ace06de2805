package io.groupwarden.sink.kafka;

import io.groupwarden.common.SaslJaas;
import io.groupwarden.sink.config.KafkaSecurity;
import io.groupwarden.sink.config.SinkConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The consumer and dead-letter producer settings that follow from a {@link SinkConfig}. */
public final class KafkaClientProperties {
  /** The fewest records one poll may return; more when a batch is larger. */
  static final int MIN_POLL_RECORDS = 500;

  private KafkaClientProperties() {}

  public static Map<String, Object> consumer(SinkConfig config) {
    SinkConfig.Kafka kafka = config.kafka();
    Map<String, Object> props = common(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
    // Static membership: a restarted pod with the same name gets its partitions back without a
    // rebalance, as long as it is back within the session timeout.
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, kafka.instanceId());
    props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    props.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) kafka.sessionTimeout().toMillis());
    props.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(100, kafka.sessionTimeout().toMillis() / 5));
    // Offsets move only when the worker has stored or dead-lettered what lies before them.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group stores the topic from its start: a sink must not skip what is already there.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // At least a few batches' worth per poll: each poll has a fixed cost, and the loop takes no
    // more than one batch ahead of the write on its way anyway.
    props.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(MIN_POLL_RECORDS, config.batch().size()));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  public static Map<String, Object> deadLetterProducer(SinkConfig config) {
    Map<String, Object> props = common(config.kafka());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.kafka().instanceId() + "-dead-letter");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  private static Map<String, Object> common(SinkConfig.Kafka kafka) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, kafka.instanceId());
    KafkaSecurity security = kafka.security();
    props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, security.protocol());
    if (security.usesSasl()) {
      String mechanism = security.saslMechanism().orElseThrow();
      props.put(SaslConfigs.SASL_MECHANISM, mechanism);
      props.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          SaslJaas.config(
              mechanism,
              security.saslUsername().orElseThrow(),
              security.saslPassword().orElseThrow().value()));
    }
    security
        .truststoreLocation()
        .ifPresent(location -> props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, location));
    security
        .truststoreType()
        .ifPresent(type -> props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, type));
    security
        .truststorePassword()
        .ifPresent(
            password -> props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password.value()));
    return props;
  }
}
