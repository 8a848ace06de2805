package io.groupwarden.operator.common;

import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * What every pod the operator writes (the managed coordinator, the sink workers) shares: the
 * settings of the Pod Security Standards' "restricted" profile, and resources that fall back to the
 * workload's defaults when its spec names none.
 */
public final class RestrictedPod {
  private RestrictedPod() {}

  /** Non-root as {@code userId} (user and group), with the runtime's default seccomp profile. */
  public static PodSecurityContextBuilder podSecurity(long userId) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(userId)
        .withRunAsGroup(userId)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile();
  }

  /** No privilege escalation, a read-only root file system and no capabilities. */
  public static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .addToDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * The spec's resources, or else requests of {@code cpu} and {@code memory} and a limit of {@code
   * memoryLimit}.
   */
  public static ResourceRequirements resources(
      ResourceRequirements fromSpec, String cpu, String memory, String memoryLimit) {
    if (fromSpec != null) {
      return fromSpec;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .addToLimits("memory", new Quantity(memoryLimit))
        .build();
  }
}
