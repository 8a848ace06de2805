package io.groupwarden.operator.policy.coordinator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.Assignor;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.CoordinatorTlsSpec;
import io.groupwarden.operator.policy.customresource.CoordinatorSpec.StorageSpec;
import java.util.List;

/**
 * Builds a managed coordinator's spec for tests, every field left to its default until set: {@code
 * CoordinatorSpecs.defaults().offsetsRetention("1d").build()}.
 */
final class CoordinatorSpecs {
  private String image;
  private StorageSpec storage;
  private ResourceRequirements resources;
  private Assignor assignor;
  private String sessionTimeout;
  private String rebalanceTimeout;
  private String offsetsRetention;
  private CoordinatorTlsSpec tls;
  private List<String> users;
  private Boolean plaintextListener;

  private CoordinatorSpecs() {}

  static CoordinatorSpecs defaults() {
    return new CoordinatorSpecs();
  }

  CoordinatorSpecs image(String image) {
    this.image = image;
    return this;
  }

  CoordinatorSpecs storage(StorageSpec storage) {
    this.storage = storage;
    return this;
  }

  CoordinatorSpecs resources(ResourceRequirements resources) {
    this.resources = resources;
    return this;
  }

  /** The assignor and the timeouts that go with it. */
  CoordinatorSpecs groups(Assignor assignor, String sessionTimeout, String rebalanceTimeout) {
    this.assignor = assignor;
    this.sessionTimeout = sessionTimeout;
    this.rebalanceTimeout = rebalanceTimeout;
    return this;
  }

  CoordinatorSpecs offsetsRetention(String offsetsRetention) {
    this.offsetsRetention = offsetsRetention;
    return this;
  }

  CoordinatorSpecs tls(CoordinatorTlsSpec tls) {
    this.tls = tls;
    return this;
  }

  CoordinatorSpecs users(List<String> users) {
    this.users = users;
    return this;
  }

  CoordinatorSpecs plaintextListener(Boolean plaintextListener) {
    this.plaintextListener = plaintextListener;
    return this;
  }

  CoordinatorSpec build() {
    return new CoordinatorSpec(
        image,
        storage,
        resources,
        assignor,
        sessionTimeout,
        rebalanceTimeout,
        offsetsRetention,
        tls,
        users,
        plaintextListener);
  }
}
