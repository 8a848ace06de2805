package io.groupwarden.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** What the reconcilers read off a resource's metadata, written once. */
public final class ResourceMeta {
  private ResourceMeta() {}

  /** The spec generation, 0 when the API server has not set one (a resource built in a test). */
  public static long generation(HasMetadata resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  /** {@code namespace/name}: how the insight API and messages name a resource. */
  public static String namespacedName(HasMetadata resource) {
    return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }

  /**
   * {@code kind/namespace/name}: the key under which a resource holds shared Kafka and Redis
   * clients and owns its metric series, unique across kinds.
   */
  public static String owner(HasMetadata resource) {
    return resource.getKind() + "/" + namespacedName(resource);
  }
}
