package io.groupwarden.coordinator.group.consumer;

import io.groupwarden.coordinator.group.GroupContext;

/**
 * What the consumer-group handlers of one shard share besides {@link Membership}: the shard's
 * context, the records (written and applied through {@code replay}), the members' deadlines and the
 * reader of the embedded consumer protocol that classic members speak. Built once by {@link
 * ConsumerGroupManager}.
 */
record ConsumerGroupParts(
    GroupContext context,
    ConsumerGroupReplay replay,
    ConsumerGroupTimeouts timeouts,
    EmbeddedConsumerProtocol embedded) {}
