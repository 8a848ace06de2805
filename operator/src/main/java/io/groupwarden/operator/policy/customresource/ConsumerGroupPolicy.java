package io.groupwarden.operator.policy.customresource;

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

/**
 * Governs consumer groups of a Kafka cluster: lag SLO, fairness, rebalance stability, stuck
 * partitions, records lost to retention, time to catch up, and lag-driven scaling.
 */
@Group("groupwarden.io")
@Version("v1alpha1")
@Kind("ConsumerGroupPolicy")
@Singular("consumergrouppolicy")
@Plural("consumergrouppolicies")
@ShortNames("cgp")
@Categories("groupwarden")
@AdditionalPrinterColumn(
    name = "Groups",
    jsonPath = ".status.summary.groups",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Health",
    jsonPath = ".status.summary.health",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Total Lag",
    jsonPath = ".status.summary.totalLag",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "SLO",
    jsonPath = ".status.summary.worstCompliance",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Gini",
    jsonPath = ".status.summary.worstGini",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
    name = "Stuck",
    jsonPath = ".status.summary.stuck",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Lost",
    jsonPath = ".status.summary.recordsLost",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Catch Up",
    jsonPath = ".status.summary.catchUp",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class ConsumerGroupPolicy
    extends CustomResource<ConsumerGroupPolicySpec, ConsumerGroupPolicyStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription(
      "Which consumer groups of which Kafka cluster to govern, and what healthy means for them.")
  public ConsumerGroupPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last observed and concluded; written by the operator.")
  public ConsumerGroupPolicyStatus getStatus() {
    return super.getStatus();
  }
}
