package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.groupwarden.common.KubeDuration;

/**
 * A coordinator broker the operator deploys for a policy.
 *
 * @param image the broker image; the operator's default when absent
 * @param storage the volume holding logs and offsets
 * @param resources CPU and memory of the broker container
 * @param assignor the assignor preferred when members support several
 * @param sessionTimeout the default session timeout of members that ask for none in range
 * @param rebalanceTimeout the default rebalance timeout
 * @param offsetsRetention how long committed offsets of empty groups are kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CoordinatorSpec(
    @JsonPropertyDescription(
            "Container image of the coordinator broker. The operator's default when absent.")
        String image,
    @JsonPropertyDescription("The persistent volume of the broker.") StorageSpec storage,
    @JsonPropertyDescription("CPU and memory requests and limits of the broker container.")
        ResourceRequirements resources,
    @JsonPropertyDescription(
            "Assignor of the groups. range, roundrobin, sticky and cooperative-sticky are the"
                + " classic protocol's client-side assignors, preferred by the broker when"
                + " members support several; uniform and range are also server-side assignors of"
                + " the consumer protocol (group.protocol=consumer): uniform makes client.properties"
                + " use that protocol, and both become the broker's default. Default"
                + " cooperative-sticky.")
        @Default("cooperative-sticky")
        Assignor assignor,
    @JsonPropertyDescription("Default member session timeout, e.g. 45s.")
        @Pattern(KubeDuration.PATTERN)
        @Default("45s")
        String sessionTimeout,
    @JsonPropertyDescription("Default rebalance timeout, e.g. 5m.")
        @Pattern(KubeDuration.PATTERN)
        @Default("5m")
        String rebalanceTimeout,
    @JsonPropertyDescription("How long committed offsets of empty groups are kept, e.g. 7d.")
        @Pattern(KubeDuration.PATTERN)
        @Default("7d")
        String offsetsRetention) {

  /**
   * Client-side assignors the broker can prefer, and server-side assignors of the consumer protocol
   * ({@code uniform}, {@code range}).
   */
  public enum Assignor {
    @JsonProperty("uniform")
    UNIFORM,
    @JsonProperty("range")
    RANGE,
    @JsonProperty("roundrobin")
    ROUNDROBIN,
    @JsonProperty("sticky")
    STICKY,
    @JsonProperty("cooperative-sticky")
    COOPERATIVE_STICKY;

    /** The protocol name members advertise. */
    public String protocolName() {
      return name().toLowerCase().replace('_', '-');
    }

    /** True for the assignors the broker runs itself for consumer-protocol groups. */
    public boolean serverSide() {
      return this == UNIFORM || this == RANGE;
    }
  }

  /**
   * The broker's volume.
   *
   * @param size the requested size
   * @param storageClassName the storage class, or the cluster default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StorageSpec(
      @JsonPropertyDescription("Requested size of the volume, e.g. 10Gi.")
          @Default("10Gi")
          @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
          String size,
      @JsonPropertyDescription("Storage class of the volume; the cluster default when absent.")
          String storageClassName) {}
}
