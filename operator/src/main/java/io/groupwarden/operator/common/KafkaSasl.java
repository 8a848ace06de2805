package io.groupwarden.operator.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * SASL authentication to a Kafka cluster; the credentials come from Secrets.
 *
 * @param mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
 * @param username the user name, literally
 * @param usernameSecretRef or the user name from a Secret
 * @param passwordSecretRef the password, always from a Secret
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.username) != has(self.usernameSecretRef)",
    message = "set exactly one of sasl.username and sasl.usernameSecretRef")
public record KafkaSasl(
    @JsonPropertyDescription("SASL mechanism.") @Required Mechanism mechanism,
    @JsonPropertyDescription("User name. Use usernameSecretRef to read it from a Secret instead.")
        String username,
    @JsonPropertyDescription("Secret key holding the user name.") SecretKeyRef usernameSecretRef,
    @JsonPropertyDescription("Secret key holding the password.") @Required
        SecretKeyRef passwordSecretRef) {

  /** The SASL mechanisms supported. */
  public enum Mechanism {
    @JsonProperty("PLAIN")
    PLAIN,
    @JsonProperty("SCRAM-SHA-256")
    SCRAM_SHA_256,
    @JsonProperty("SCRAM-SHA-512")
    SCRAM_SHA_512;

    /** The name Kafka's {@code sasl.mechanism} expects. */
    public String kafkaName() {
      return name().replace('_', '-');
    }
  }
}
