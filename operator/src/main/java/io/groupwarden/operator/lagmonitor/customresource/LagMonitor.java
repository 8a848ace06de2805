package io.groupwarden.operator.lagmonitor.customresource;

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

/** Lag of Kafka consumer groups and Redis Streams consumer groups, classified by health. */
@Group("groupwarden.io")
@Version("v1alpha1")
@Kind("LagMonitor")
@Singular("lagmonitor")
@Plural("lagmonitors")
@ShortNames("lagmon")
@Categories("groupwarden")
@AdditionalPrinterColumn(
    name = "Sources",
    jsonPath = ".status.sourceCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Total Lag",
    jsonPath = ".status.totalLag",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Max Lag",
    jsonPath = ".status.maxLag",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Health",
    jsonPath = ".status.health",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LagMonitor extends CustomResource<LagMonitorSpec, LagMonitorStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription("Which Kafka and Redis Streams consumer groups to watch.")
  public LagMonitorSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Lag and health of every source; written by the operator.")
  public LagMonitorStatus getStatus() {
    return super.getStatus();
  }
}
