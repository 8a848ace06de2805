package io.groupwarden.operator.sink.customresource;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A StatefulSet of Kafka-to-MongoDB sink workers, one per partition by default. */
@Group("groupwarden.io")
@Version("v1alpha1")
@Kind("MongoSink")
@Singular("mongosink")
@Plural("mongosinks")
@ShortNames("msink")
@Categories("groupwarden")
@AdditionalPrinterColumn(
    name = "Topic",
    jsonPath = ".spec.kafka.topic",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Partitions",
    jsonPath = ".status.partitions",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Lag",
    jsonPath = ".status.lag",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class MongoSink extends CustomResource<MongoSinkSpec, MongoSinkStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription("Which topic to sink into which MongoDB collection, and how.")
  public MongoSinkSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator last observed; written by the operator.")
  public MongoSinkStatus getStatus() {
    return super.getStatus();
  }
}
