package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.group.classic.ClassicGroup;
import io.groupwarden.coordinator.group.classic.ClassicGroupManager;
import io.groupwarden.coordinator.group.consumer.ConsumerGroup;
import io.groupwarden.coordinator.group.consumer.ConsumerGroupManager;
import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import io.groupwarden.coordinator.group.offset.OffsetManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.CoordinatorRecordType;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;

/**
 * The group coordinator of one shard, as a thin facade: requests go to the manager of the group's
 * protocol (classic or consumer groups) or to the offset manager, records are replayed by the
 * manager that owns them, and admin requests that span them are composed here. Runs on one thread.
 */
public final class GroupCoordinatorShard implements GroupLog.Replayer {
  private final LongSupplier clock;
  private final GroupRegistry groups = new GroupRegistry();
  private final ClassicGroupManager classic;
  private final ConsumerGroupManager consumer;
  private final OffsetManager offsets;
  private boolean loading;
  private volatile Counts counts = new Counts(0, 0, 0);

  /** How many live groups, members of them and committed offsets the shard holds. */
  public record Counts(int groups, int members, long offsets) {}

  public GroupCoordinatorShard(
      GroupConfig config,
      LongSupplier clock,
      GroupTimer timer,
      GroupMetrics metrics,
      TopicMetadata topics) {
    this.clock = clock;
    GroupContext context = new GroupContext(config, clock, timer, metrics, groups, topics);
    this.classic = new ClassicGroupManager(context);
    this.consumer = new ConsumerGroupManager(context, classic);
    this.offsets = new OffsetManager(config, clock, metrics);
  }

  // ---------------------------------------------------------------- classic protocol

  // A consumer group answers classic members too (a rolling upgrade or downgrade in progress). An
  // empty consumer group gives way to a classic group when a classic member joins it.

  public CoordinatorResult<Void> join(
      Client client,
      JoinGroupRequestData request,
      CompletableFuture<JoinGroupResponseData> future) {
    ConsumerGroup group = consumer.group(request.groupId());
    if (group == null) {
      return classic.join(client, request, future);
    }
    if (!group.isEmpty()) {
      return consumer.classicJoin(group, client, request, future);
    }
    List<GroupRecord> records = new ArrayList<>();
    consumer.delete(group, records);
    CoordinatorResult<Void> joined = classic.join(client, request, future);
    records.addAll(joined.records());
    return new CoordinatorResult<>(records, null, joined.afterPersist());
  }

  public CoordinatorResult<Void> sync(
      Client client,
      SyncGroupRequestData request,
      CompletableFuture<SyncGroupResponseData> future) {
    ConsumerGroup group = consumer.group(request.groupId());
    return group != null
        ? consumer.classicSync(group, request, future)
        : classic.sync(client, request, future);
  }

  public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
    ConsumerGroup group = consumer.group(request.groupId());
    return group != null ? consumer.classicHeartbeat(group, request) : classic.heartbeat(request);
  }

  public CoordinatorResult<LeaveGroupResponseData> leave(
      String groupId, List<MemberIdentity> leaving) {
    ConsumerGroup group = consumer.group(groupId);
    return group != null ? consumer.classicLeave(group, leaving) : classic.leave(groupId, leaving);
  }

  // ---------------------------------------------------------------- consumer protocol

  public CoordinatorResult<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
      Client client, ConsumerGroupHeartbeatRequestData request) {
    return consumer.heartbeat(client, request);
  }

  public ConsumerGroupDescribeResponseData.DescribedGroup consumerGroupDescribe(String groupId) {
    return consumer.describe(groupId);
  }

  // ---------------------------------------------------------------- offsets

  public CoordinatorResult<OffsetCommitResponseData> commitOffsets(
      Client client, OffsetCommitRequestData request) {
    String groupId = request.groupId();
    Group group = groupId == null ? null : groups.get(groupId);
    if (group == null
        && groupId != null
        && !groupId.isEmpty()
        && request.generationIdOrMemberEpoch() < 0) {
      // An admin client or a consumer without group management: a "simple" group.
      group = classic.getOrCreateSimpleGroup(groupId);
    }
    return offsets.commit(client, request, group);
  }

  /** Committed offsets of a group: all of them when {@code topics} is null. */
  public OffsetFetchResponseGroup fetchOffsets(
      String groupId, List<OffsetFetchRequestTopics> topics) {
    return fetchOffsets(groupId, null, -1, topics);
  }

  /** OffsetFetch v9+, which names the member asking and its epoch. */
  public OffsetFetchResponseGroup fetchOffsets(
      String groupId, String memberId, int memberEpoch, List<OffsetFetchRequestTopics> topics) {
    return fetchOffsets(groupId, memberId, memberEpoch, topics, false);
  }

  /** OffsetFetch; {@code requireStable} refuses offsets an open transaction is about to move. */
  public OffsetFetchResponseGroup fetchOffsets(
      String groupId,
      String memberId,
      int memberEpoch,
      List<OffsetFetchRequestTopics> topics,
      boolean requireStable) {
    return offsets.fetch(
        groupId, memberId, memberEpoch, topics, requireStable, groups.get(groupId));
  }

  /**
   * TxnOffsetCommit: the records are written in the producer's transaction and the offsets count
   * once its commit marker is replayed.
   */
  public CoordinatorResult<TxnOffsetCommitResponseData> commitTransactionalOffsets(
      TxnOffsetCommitRequestData request) {
    return offsets.commitTransactional(request, groups.get(request.groupId()));
  }

  public CoordinatorResult<OffsetDeleteResponseData> deleteOffsets(
      OffsetDeleteRequestData request) {
    return offsets.delete(request, groups.get(request.groupId()));
  }

  /** Removes offsets past their retention and empty groups left without offsets. */
  public CoordinatorResult<Void> expireOffsets() {
    List<GroupRecord> records = new ArrayList<>();
    for (Group group : groups.snapshot()) {
      int kept = offsets.expire(group, records);
      if (group.isEmpty() && kept == 0) {
        deleteGroup(group, records);
      }
    }
    return CoordinatorResult.persist(records, () -> {});
  }

  // ---------------------------------------------------------------- admin

  public DescribedGroup describe(String groupId, short version) {
    if (consumer.group(groupId) != null) {
      return new DescribedGroup()
          .setGroupId(groupId)
          .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
          .setErrorMessage(version >= 6 ? "Group " + groupId + " is not a classic group." : null)
          .setGroupState("Dead")
          .setProtocolType("")
          .setProtocolData("")
          .setAuthorizedOperations(Integer.MIN_VALUE);
    }
    return classic.describe(groupId, version);
  }

  public List<ListedGroup> list(Set<String> statesFilter, Set<String> typesFilter) {
    List<ListedGroup> listed = new ArrayList<>();
    for (Group group : groups.all()) {
      String state = group.stateName();
      // ListGroups names types in lower case ("classic", "consumer"); Kafka's enum capitalises them
      String type = group.type().toString().toLowerCase(Locale.ROOT);
      if (group.isDead()
          || (!typesFilter.isEmpty() && !typesFilter.contains(type))
          || (!statesFilter.isEmpty() && !statesFilter.contains(state.toLowerCase(Locale.ROOT)))) {
        continue;
      }
      listed.add(
          new ListedGroup()
              .setGroupId(group.groupId())
              .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
              .setGroupState(state)
              .setGroupType(type));
    }
    return listed;
  }

  public CoordinatorResult<List<DeletableGroupResult>> deleteGroups(List<String> groupIds) {
    List<DeletableGroupResult> results = new ArrayList<>();
    List<GroupRecord> records = new ArrayList<>();
    for (String groupId : groupIds) {
      Group group = groups.get(groupId);
      Errors error = group == null ? Errors.GROUP_ID_NOT_FOUND : group.validateDeleteGroup();
      if (error == Errors.NONE) {
        offsets.deleteAll(groupId, records);
        deleteGroup(group, records);
      }
      results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
    }
    return CoordinatorResult.of(records, results);
  }

  private void deleteGroup(Group group, List<GroupRecord> records) {
    if (group instanceof ClassicGroup classicGroup) {
      classic.delete(classicGroup, records);
    } else if (group instanceof ConsumerGroup consumerGroup) {
      consumer.delete(consumerGroup, records);
    }
  }

  /** The group with this id of any type, or null (for tests). */
  Group groupForTest(String groupId) {
    return groups.get(groupId);
  }

  /** The classic group with this id, or null. */
  public ClassicGroup group(String groupId) {
    return classic.group(groupId);
  }

  /** An immutable copy of the group and its offsets, or null when there is no such group. */
  public GroupView view(String groupId) {
    Group group = groups.get(groupId);
    return group == null || group.isDead() ? null : group.view(offsets.committed(groupId));
  }

  public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
    return Map.copyOf(offsets.committed(groupId));
  }

  // ---------------------------------------------------------------- replay and snapshots

  /**
   * Applies a durable record written in a producer's transaction (an offset it committed), or
   * outside one ({@code producerId} -1).
   */
  @Override
  public void replay(long producerId, GroupRecord record) {
    if (producerId == RecordBatch.NO_PRODUCER_ID) {
      replay(record);
    } else if (record.type() == CoordinatorRecordType.OFFSET_COMMIT) {
      offsets.replayTransactional(
          producerId, (OffsetCommitKey) record.key(), (OffsetCommitValue) record.value());
    } else {
      throw new IllegalStateException(
          "only offsets are committed in transactions, not " + record.type());
    }
  }

  /** Applies the end of a producer's transaction to the offsets it committed in it. */
  @Override
  public void replayEndTransactionMarker(long producerId, boolean commit) {
    for (String groupId : offsets.replayEndTransactionMarker(producerId, commit)) {
      if (groups.get(groupId) == null) {
        // offsets without group metadata belong to a "simple" group, as for plain commits
        groups.put(new ClassicGroup(groupId, clock.getAsLong()));
      }
    }
  }

  /** Applies a durable record. While loading, group records also rebuild the groups. */
  public void replay(GroupRecord record) {
    switch (record.type()) {
      case OFFSET_COMMIT -> {
        OffsetCommitKey key = (OffsetCommitKey) record.key();
        if (!record.isTombstone() && groups.get(key.group()) == null) {
          // Offsets without group metadata belong to a "simple" group (commits without
          // membership).
          groups.put(
              new ClassicGroup(
                  key.group(), ((OffsetCommitValue) record.value()).commitTimestamp()));
        }
        offsets.replay(key, (OffsetCommitValue) record.value());
      }
      case GROUP_METADATA -> {
        GroupMetadataKey key = (GroupMetadataKey) record.key();
        classic.replay(key, record, loading);
        if (record.isTombstone() && loading && groups.get(key.group()) instanceof ClassicGroup) {
          groups.remove(key.group());
        }
      }
      case CONSUMER_GROUP_METADATA,
          CONSUMER_GROUP_MEMBER_METADATA,
          CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT,
          CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER,
          CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA,
          CONSUMER_GROUP_PARTITION_METADATA,
          CONSUMER_GROUP_REGULAR_EXPRESSION -> {
        // Applied when they were made; a later change may already have replaced what they say.
        if (loading) {
          consumer.replay(record);
          if (record.isTombstone()
              && record.key() instanceof ConsumerGroupMetadataKey key
              && groups.get(key.groupId()) == null
              && !offsets.committed(key.groupId()).isEmpty()) {
            // The consumer group gave way to a classic group not yet written (it is written at
            // its first SyncGroup): its offsets stay, in a group that holds only offsets.
            groups.put(new ClassicGroup(key.groupId(), clock.getAsLong()));
          }
        }
      }
      default ->
          throw new IllegalStateException("no manager replays group records of " + record.type());
    }
  }

  public void startLoading() {
    loading = true;
  }

  public void finishLoading() {
    loading = false;
    classic.finishLoading();
    consumer.finishLoading();
    refreshStats();
  }

  /** The offsets pending in open transactions as records, by producer: kept by compaction. */
  public Map<Long, List<GroupRecord>> pendingSnapshot() {
    return offsets.pendingSnapshot();
  }

  /** The state as records: what a compacted log must hold. */
  public List<GroupRecord> snapshot() {
    List<GroupRecord> records = new ArrayList<>();
    classic.snapshot(records);
    consumer.snapshot(records);
    offsets.snapshot(records);
    return records;
  }

  /** Updates the counts the metrics read from other threads. */
  public void refreshStats() {
    int members = 0;
    int live = 0;
    for (Group group : groups.all()) {
      if (!group.isDead()) {
        live++;
        members += group.memberCount();
      }
    }
    counts = new Counts(live, members, offsets.count());
  }

  /** The counts as of the last {@link #refreshStats()}, for readers on other threads. */
  public Counts counts() {
    return counts;
  }

  long now() {
    return clock.getAsLong();
  }
}
