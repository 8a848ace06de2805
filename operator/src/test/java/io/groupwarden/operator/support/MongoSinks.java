package io.groupwarden.operator.support;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.groupwarden.operator.common.KafkaSasl;
import io.groupwarden.operator.common.KafkaTls;
import io.groupwarden.operator.common.SecretKeyRef;
import io.groupwarden.operator.sink.customresource.MongoSink;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.BatchSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.MongoSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.SinkAutoscaleSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.SinkKafkaSpec;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.StoreOutage;
import io.groupwarden.operator.sink.customresource.MongoSinkSpec.WriteConcern;

/**
 * Builds MongoSink specs for tests: {@code topic("orders").replicas(2).spec()}. Until told
 * otherwise a sink reads its topic from {@code kafka:9092} in plain text and writes to {@code
 * shop.orders} with the URI of Secret {@code mongo}, key {@code uri}; everything else is left to
 * the defaults.
 */
public final class MongoSinks {
  private final String topic;
  private String bootstrapServers = "kafka:9092";
  private KafkaTls tls;
  private KafkaSasl sasl;
  private WriteConcern writeConcern;
  private BatchSpec batch;
  private StoreOutage onStoreOutage;
  private Integer replicas;
  private SinkAutoscaleSpec autoscale;

  private MongoSinks(String topic) {
    this.topic = topic;
  }

  public static MongoSinks topic(String topic) {
    return new MongoSinks(topic);
  }

  public MongoSinks bootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  public MongoSinks tls(KafkaTls tls) {
    this.tls = tls;
    return this;
  }

  public MongoSinks sasl(KafkaSasl sasl) {
    this.sasl = sasl;
    return this;
  }

  public MongoSinks writeConcern(WriteConcern writeConcern) {
    this.writeConcern = writeConcern;
    return this;
  }

  public MongoSinks batch(BatchSpec batch) {
    this.batch = batch;
    return this;
  }

  public MongoSinks onStoreOutage(StoreOutage onStoreOutage) {
    this.onStoreOutage = onStoreOutage;
    return this;
  }

  /** A fixed worker count, as {@code kubectl scale} or an HPA writes it. */
  public MongoSinks replicas(Integer replicas) {
    this.replicas = replicas;
    return this;
  }

  /** Lag-driven workers within bounds. */
  public MongoSinks autoscale(int min, int max, long lagPerReplica, String stabilization) {
    this.autoscale = new SinkAutoscaleSpec(min, max, lagPerReplica, stabilization);
    return this;
  }

  public MongoSinkSpec spec() {
    return new MongoSinkSpec(
        new SinkKafkaSpec(bootstrapServers, null, tls, sasl, topic, null, null),
        new MongoSpec(new SecretKeyRef("mongo", "uri"), "shop", "orders", writeConcern),
        batch,
        onStoreOutage,
        replicas,
        autoscale,
        null,
        null);
  }

  /** The sink {@code namespace/name} with this spec. */
  public MongoSink sink(String namespace, String name) {
    MongoSink sink = new MongoSink();
    sink.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    sink.setSpec(spec());
    return sink;
  }
}
