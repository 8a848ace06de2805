package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicy;
import io.groupwarden.operator.policy.customresource.ConsumerGroupPolicySpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import io.groupwarden.operator.policy.customresource.PolicyKafkaSpec;
import java.util.List;

/**
 * The policy the managed coordinator's unit tests build from: ConsumerGroupPolicy {@code orders}
 * (uid {@code uid-1}) in namespace {@code shop}, governing group {@code billing} on a managed
 * coordinator.
 */
final class OrdersPolicy {
  /** A coordinator spec with every field left to its default. */
  static final CoordinatorSpec DEFAULTS = CoordinatorSpecs.defaults().build();

  private OrdersPolicy() {}

  static ConsumerGroupPolicy with(CoordinatorSpec coordinator) {
    ConsumerGroupPolicy policy = new ConsumerGroupPolicy();
    policy.setMetadata(
        new ObjectMetaBuilder().withName("orders").withNamespace("shop").withUid("uid-1").build());
    policy.setSpec(
        new ConsumerGroupPolicySpec(
            new PolicyKafkaSpec(null, null, null, coordinator),
            List.of("billing"),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null));
    return policy;
  }
}
