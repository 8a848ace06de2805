package io.groupwarden.coordinator.group;

import io.groupwarden.common.DaemonThreads;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: groups are spread over single-threaded shards by {@code hash(groupId) %
 * N}, so requests of different groups run in parallel without a global lock. The shard count is
 * fixed at the first start (it is written to the data directory), because it decides which shard's
 * log holds a group.
 */
public final class GroupCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
  private final List<GroupShardRuntime> shards;
  private final ExecutorService background = DaemonThreads.single("group-log-compaction");

  private final ScheduledThreadPoolExecutor timers =
      new ScheduledThreadPoolExecutor(1, DaemonThreads.named("group-timers"));

  private final List<CompletableFuture<Void>> loads = new ArrayList<>();
  private long loadStartNs;
  private long retentionCheckMs;
  private boolean maintenanceStarted;

  private GroupCoordinator(List<GroupShardRuntime> shards) {
    this.shards = shards;
    timers.setRemoveOnCancelPolicy(true);
  }

  /**
   * Starts the coordinator with its shards replaying their logs in the background, so that the
   * broker can open its ports meanwhile. A request for a group waits in its shard's queue until the
   * shard is loaded; {@link #awaitLoaded()} reports whether loading succeeded.
   */
  public static GroupCoordinator startLoading(
      Path dir,
      int requestedShards,
      GroupConfig config,
      long retentionCheckMs,
      LongSupplier clock,
      GroupMetrics metrics,
      FsyncBatcher fsync,
      TopicMetadata topics)
      throws IOException {
    Files.createDirectories(dir);
    Path countFile = dir.resolve("shards");
    checkFormat(dir, Files.exists(countFile));
    int count;
    if (Files.exists(countFile)) {
      count = Integer.parseInt(Files.readString(countFile, StandardCharsets.UTF_8).trim());
    } else {
      count = requestedShards;
      Files.writeString(countFile, Integer.toString(count), StandardCharsets.UTF_8);
    }
    List<GroupShardRuntime> shards = new ArrayList<>();
    GroupCoordinator coordinator = new GroupCoordinator(shards);
    ShardResources shared =
        new ShardResources(
            config, clock, metrics, fsync, coordinator.timers, coordinator.background, topics);
    for (int i = 0; i < count; i++) {
      shards.add(new GroupShardRuntime(i, dir.resolve("shard-" + i), shared));
    }
    coordinator.loadStartNs = System.nanoTime();
    shards.forEach(shard -> coordinator.loads.add(shard.load()));
    coordinator.retentionCheckMs = retentionCheckMs;
    return coordinator;
  }

  /**
   * Waits until every shard is loaded; fails (and closes the coordinator) when one could not be. A
   * shard that failed to load refuses every request, so nothing is served from partial state.
   */
  public void awaitLoaded() throws IOException {
    try {
      CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IOException("interrupted while loading the group shards", e);
    } catch (ExecutionException e) {
      close();
      Throwable cause = e.getCause();
      throw cause instanceof UncheckedIOException io ? io.getCause() : new IOException(cause);
    }
    if (!maintenanceStarted) {
      maintenanceStarted = true;
      shards.forEach(shard -> shard.startMaintenance(retentionCheckMs));
      LOG.info(
          "{} group shards loaded in {} ms: {} groups, {} committed offsets",
          shards.size(),
          (System.nanoTime() - loadStartNs) / 1_000_000,
          groupCount(),
          offsetCount());
    }
  }

  /**
   * The group logs' format: Kafka's group-coordinator record schemas ({@link GroupRecordSerde}).
   * Directories from before it (JSON records, pre-release) are refused rather than misread.
   */
  static final String FORMAT = "kafka-coordinator-records-v1";

  private static void checkFormat(Path dir, boolean existing) throws IOException {
    Path formatFile = dir.resolve("format");
    if (Files.exists(formatFile)) {
      String found = Files.readString(formatFile, StandardCharsets.UTF_8).trim();
      if (!found.equals(FORMAT)) {
        throw new IOException(
            dir + " holds group logs in format '" + found + "'; this broker reads " + FORMAT);
      }
    } else if (existing) {
      throw new IOException(
          dir
              + " holds group logs of an earlier pre-release broker (JSON records), which this"
              + " broker does not read; move the directory away to start without groups and offsets");
    } else {
      Files.writeString(formatFile, FORMAT, StandardCharsets.UTF_8);
    }
  }

  private GroupShardRuntime shardOf(String groupId) {
    return shards.get(shardIndexOf(groupId));
  }

  /**
   * The shard that holds a group: in a transaction, the group's offsets are the partition {@code
   * __consumer_offsets-<shard>}, as in Kafka, so its markers reach the shard.
   */
  public int shardIndexOf(String groupId) {
    return Math.floorMod(groupId == null ? 0 : groupId.hashCode(), shards.size());
  }

  public int shardCount() {
    return shards.size();
  }

  /**
   * TxnOffsetCommit: offsets written in the producer's transaction; they count once its commit
   * marker reaches the group's shard.
   */
  public CompletableFuture<TxnOffsetCommitResponseData> commitTransactionalOffsets(
      long producerId, short producerEpoch, TxnOffsetCommitRequestData request) {
    return shardOf(request.groupId())
        .writeTransactional(
            producerId, producerEpoch, shard -> shard.commitTransactionalOffsets(request));
  }

  /**
   * The marker of a producer's transaction for one shard: its pending offsets there are committed
   * or dropped. Completes once the marker is durable.
   */
  public CompletableFuture<Void> completeTransaction(
      int shardIndex, long producerId, short producerEpoch, boolean commit) {
    if (shardIndex < 0 || shardIndex >= shards.size()) {
      return CompletableFuture.completedFuture(null);
    }
    return shards.get(shardIndex).completeTransaction(producerId, producerEpoch, commit);
  }

  public CompletableFuture<JoinGroupResponseData> join(
      Client client, JoinGroupRequestData request) {
    return parked(request.groupId(), (shard, response) -> shard.join(client, request, response));
  }

  public CompletableFuture<SyncGroupResponseData> sync(
      Client client, SyncGroupRequestData request) {
    return parked(request.groupId(), (shard, response) -> shard.sync(client, request, response));
  }

  /**
   * Runs a handler that may park its request (a JoinGroup or SyncGroup waiting for the rest of the
   * group) and answers through the future it is given; if the shard fails the handler or its
   * records, the request fails with it.
   */
  private <T> CompletableFuture<T> parked(
      String groupId,
      BiFunction<GroupCoordinatorShard, CompletableFuture<T>, CoordinatorResult<Void>> handler) {
    CompletableFuture<T> response = new CompletableFuture<>();
    shardOf(groupId)
        .write(shard -> handler.apply(shard, response))
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                response.completeExceptionally(error);
              }
            });
    return response;
  }

  public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
    return shardOf(request.groupId()).write(shard -> shard.heartbeat(request));
  }

  public CompletableFuture<LeaveGroupResponseData> leave(
      String groupId, List<MemberIdentity> members) {
    return shardOf(groupId).write(shard -> shard.leave(groupId, members));
  }

  public CompletableFuture<OffsetCommitResponseData> commitOffsets(
      Client client, OffsetCommitRequestData request) {
    return shardOf(request.groupId()).write(shard -> shard.commitOffsets(client, request));
  }

  public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(
      String groupId, List<OffsetFetchRequestTopics> topics) {
    return shardOf(groupId).read(shard -> shard.fetchOffsets(groupId, topics));
  }

  /** OffsetFetch v9+: a consumer-protocol member names itself and its epoch. */
  public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(
      String groupId, String memberId, int memberEpoch, List<OffsetFetchRequestTopics> topics) {
    return fetchOffsets(groupId, memberId, memberEpoch, topics, false);
  }

  /** OffsetFetch; with {@code requireStable} offsets pending in a transaction are refused. */
  public CompletableFuture<OffsetFetchResponseGroup> fetchOffsets(
      String groupId,
      String memberId,
      int memberEpoch,
      List<OffsetFetchRequestTopics> topics,
      boolean requireStable) {
    return shardOf(groupId)
        .read(shard -> shard.fetchOffsets(groupId, memberId, memberEpoch, topics, requireStable));
  }

  public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
      Client client, ConsumerGroupHeartbeatRequestData request) {
    return shardOf(request.groupId()).write(shard -> shard.consumerGroupHeartbeat(client, request));
  }

  public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>>
      consumerGroupDescribe(List<String> groupIds) {
    List<CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup>> futures =
        new ArrayList<>();
    for (String groupId : groupIds) {
      futures.add(shardOf(groupId).read(shard -> shard.consumerGroupDescribe(groupId)));
    }
    return all(futures);
  }

  public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(
      OffsetDeleteRequestData request) {
    return shardOf(request.groupId()).write(shard -> shard.deleteOffsets(request));
  }

  public CompletableFuture<List<DescribedGroup>> describe(List<String> groupIds, short version) {
    List<CompletableFuture<DescribedGroup>> futures = new ArrayList<>();
    for (String groupId : groupIds) {
      futures.add(shardOf(groupId).read(shard -> shard.describe(groupId, version)));
    }
    return all(futures);
  }

  public CompletableFuture<List<ListedGroup>> list(Set<String> states, Set<String> types) {
    List<CompletableFuture<List<ListedGroup>>> futures = new ArrayList<>();
    for (GroupShardRuntime shard : shards) {
      futures.add(shard.read(s -> s.list(states, types)));
    }
    return all(futures).thenApply(lists -> lists.stream().flatMap(List::stream).toList());
  }

  public CompletableFuture<List<DeletableGroupResult>> delete(List<String> groupIds) {
    Map<GroupShardRuntime, List<String>> byShard = new LinkedHashMap<>();
    for (String groupId : groupIds) {
      byShard.computeIfAbsent(shardOf(groupId), s -> new ArrayList<>()).add(groupId);
    }
    List<CompletableFuture<List<DeletableGroupResult>>> futures = new ArrayList<>();
    byShard.forEach((shard, ids) -> futures.add(shard.write(s -> s.deleteGroups(ids))));
    return all(futures).thenApply(lists -> lists.stream().flatMap(List::stream).toList());
  }

  /** An immutable copy of one group and its offsets; empty when there is no such group. */
  public CompletableFuture<Optional<GroupView>> view(String groupId) {
    return shardOf(groupId).read(shard -> Optional.ofNullable(shard.view(groupId)));
  }

  public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committedOffsets(
      String groupId) {
    return shardOf(groupId).read(shard -> new HashMap<>(shard.committedOffsets(groupId)));
  }

  public int groupCount() {
    return shards.stream().mapToInt(s -> s.shard().counts().groups()).sum();
  }

  public int memberCount() {
    return shards.stream().mapToInt(s -> s.shard().counts().members()).sum();
  }

  public long offsetCount() {
    return shards.stream().mapToLong(s -> s.shard().counts().offsets()).sum();
  }

  private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  @Override
  public void close() {
    timers.shutdownNow();
    shards.forEach(GroupShardRuntime::close);
    background.shutdown();
  }
}
