package io.groupwarden.operator.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A key of a Secret in the resource's namespace.
 *
 * @param name the Secret's name
 * @param key the key within the Secret
 */
public record SecretKeyRef(
    @JsonPropertyDescription("Name of a Secret in the resource's namespace.")
        @Required
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
        String name,
    @JsonPropertyDescription("Key within the Secret whose value is used.") @Required String key) {

  @Override
  public String toString() {
    return "secret " + name + " key " + key;
  }
}
