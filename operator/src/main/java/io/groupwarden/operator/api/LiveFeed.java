package io.groupwarden.operator.api;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a WebSocket client receives: a JSON snapshot, sent at once and then every interval.
 *
 * @param interval the period between snapshots
 * @param snapshot produces the current snapshot
 */
public record LiveFeed(Duration interval, Supplier<String> snapshot) {}
