package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What every shard of one group coordinator shares: the group settings, the clock, the metrics, the
 * fsync batcher, the scheduler its timers fire on, the executor compactions run on, and the
 * broker's topics.
 */
record ShardResources(
    GroupConfig config,
    LongSupplier clock,
    GroupMetrics metrics,
    FsyncBatcher fsync,
    ScheduledExecutorService timers,
    Executor background,
    TopicMetadata topics) {}
