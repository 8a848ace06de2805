package io.groupwarden.operator.common;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/**
 * What a reconciler sends to change a resource's status: a fresh object holding only the name, the
 * namespace and the status, so the patch can never touch the spec, the labels or anything else a
 * person or another controller owns.
 */
public final class StatusPatch {
  private StatusPatch() {}

  /**
   * @param resource the resource as the reconciler received it
   * @param status its new status
   * @param blank makes an empty resource of the same kind, e.g. {@code MongoSink::new}
   */
  public static <R extends CustomResource<?, S>, S> R of(R resource, S status, Supplier<R> blank) {
    R patch = blank.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
