package io.groupwarden.operator.api.view;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A consumer of a Redis Streams group.
 *
 * @param pending entries delivered to it but not acknowledged; absent when unknown
 * @param idleMs milliseconds since it last interacted; absent when unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsumerView(String name, Long pending, Long idleMs) {}
