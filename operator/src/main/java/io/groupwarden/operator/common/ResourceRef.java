package io.groupwarden.operator.common;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * A reference to another resource in the same namespace.
 *
 * @param name its name
 */
public record ResourceRef(
    @JsonPropertyDescription("Name of the resource in the same namespace.") @Required
        String name) {}
