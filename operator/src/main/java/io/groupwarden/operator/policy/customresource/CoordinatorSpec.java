package io.groupwarden.operator.policy.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.groupwarden.common.KubeDuration;
import java.util.List;

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
 * @param tls where the broker's certificate comes from
 * @param users further SCRAM users the operator creates, each with a password in its own Secret
 * @param plaintextListener whether to open an unauthenticated listener beside SASL_SSL
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// on the type, not the component: a record component's annotation lands on its field and its
// accessor, and the CRD would carry the rule twice
@ValidationRule(
    value =
        "!has(self.users) || self.users.all(u,"
            + " u.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')"
            + " && !u.startsWith('groupwarden-'))",
    message = "each user is a DNS label (lower case, digits, '-') not starting with groupwarden-")
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
        String offsetsRetention,
    @JsonPropertyDescription(
            "The broker's TLS certificate. Without secretName the operator creates a CA and a"
                + " broker certificate, and renews them before they expire.")
        CoordinatorTlsSpec tls,
    @JsonPropertyDescription(
            "SCRAM users to create beside those of the operator, MongoSinks and LagMonitors; each"
                + " password is in the Secret <policy>-coordinator-user-<name>. Names starting"
                + " with groupwarden- are reserved.")
        @Size(max = 100)
        List<String> users,
    @JsonPropertyDescription(
            "Also open an unauthenticated, unencrypted PLAINTEXT listener on port 9092. Off by"
                + " default: every client authenticates with SCRAM over TLS on port 9093.")
        @Default("false")
        Boolean plaintextListener) {

  /**
   * The broker's certificate.
   *
   * @param secretName a {@code kubernetes.io/tls} Secret with tls.crt, tls.key and ca.crt
   * @param validity how long a certificate the operator creates is valid
   * @param renewBefore how long before its end such a certificate is replaced
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CoordinatorTlsSpec(
      @JsonPropertyDescription(
              "A kubernetes.io/tls Secret (as cert-manager writes it) with tls.crt, tls.key"
                  + " (PKCS#8) and ca.crt. Its certificate must name the client Service and the"
                  + " pod's DNS name. When absent the operator creates and renews the"
                  + " certificates.")
          @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
          String secretName,
      @JsonPropertyDescription(
              "Validity of a broker certificate the operator creates, e.g. 365d. Its CA lives"
                  + " five times as long.")
          @Pattern(KubeDuration.PATTERN)
          @Default("365d")
          String validity,
      @JsonPropertyDescription(
              "How long before its end the operator replaces a certificate it created, e.g."
                  + " 30d; less than half the validity. The CA is replaced twice as early, so"
                  + " clients trust the new CA before the broker presents a certificate it"
                  + " signed.")
          @Pattern(KubeDuration.PATTERN)
          @Default("30d")
          String renewBefore) {}

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
