package io.groupwarden.coordinator.group.offset;

import io.groupwarden.coordinator.group.Client;
import io.groupwarden.coordinator.group.CoordinatorResult;
import io.groupwarden.coordinator.group.Group;
import io.groupwarden.coordinator.group.GroupConfig;
import io.groupwarden.coordinator.group.GroupMetrics;
import io.groupwarden.coordinator.group.GroupRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;

/**
 * Committed offsets of a shard's groups, whatever their type: OffsetCommit, TxnOffsetCommit,
 * OffsetFetch, OffsetDelete and retention. Commits are validated by the group (a generation for a
 * classic group, a member epoch for a consumer group); offsets change only when their records are
 * replayed after they are durable, so what OffsetFetch reads has always been acknowledged.
 */
public final class OffsetManager {
  private final GroupConfig config;
  private final LongSupplier clock;
  private final GroupMetrics metrics;
  private final CommittedOffsets offsets = new CommittedOffsets();
  private final PendingTransactionalOffsets pending = new PendingTransactionalOffsets();

  public OffsetManager(GroupConfig config, LongSupplier clock, GroupMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * OffsetCommit for {@code group}, which is null when no group has this id (and the commit is not
   * one that creates a simple group).
   */
  public CoordinatorResult<OffsetCommitResponseData> commit(
      Client client, OffsetCommitRequestData request, Group group) {
    String groupId = request.groupId();
    Errors error;
    if (groupId == null || groupId.isEmpty()) {
      error = Errors.INVALID_GROUP_ID;
    } else if (group == null) {
      error = client.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
    } else {
      error =
          group.validateOffsetCommit(
              request.memberId(),
              request.groupInstanceId(),
              request.generationIdOrMemberEpoch(),
              client.apiVersion());
    }
    // only versions up to 4 carry a retention; later ones expire with the group's retention
    long retentionMs = client.apiVersion() <= 4 ? request.retentionTimeMs() : -1;
    Commits commits = new Commits(groupId, error, retentionMs);
    OffsetCommitResponse.Builder response = OffsetCommitResponse.newBuilder(false);
    for (OffsetCommitRequestTopic topic : request.topics()) {
      for (OffsetCommitRequestPartition partition : topic.partitions()) {
        Errors partitionError =
            commits.add(
                topic.name(),
                partition.partitionIndex(),
                partition.committedOffset(),
                partition.committedLeaderEpoch(),
                partition.committedMetadata());
        response.addPartition(
            NO_TOPIC_ID, topic.name(), partition.partitionIndex(), partitionError);
      }
    }
    return commits.result(response.build().data());
  }

  /**
   * TxnOffsetCommit: offsets committed inside the producer's transaction. The records are written
   * in the producer's transactional batch; the offsets stay pending until its marker. Like Kafka, a
   * commit that names no member is not checked against the group, and one that does is checked as a
   * commit would be, except that it may come while a classic group completes a rebalance.
   *
   * @param group the group, or null when no group has this id (a producer that is not a member of
   *     one may commit offsets for a group that does not exist yet)
   */
  public CoordinatorResult<TxnOffsetCommitResponseData> commitTransactional(
      TxnOffsetCommitRequestData request, Group group) {
    String groupId = request.groupId();
    boolean anonymous =
        request.generationIdOrMemberEpoch() < 0
            && (request.memberId() == null || request.memberId().isEmpty());
    Errors error;
    if (groupId == null || groupId.isEmpty()) {
      error = Errors.INVALID_GROUP_ID;
    } else if (anonymous) {
      error = Errors.NONE;
    } else if (group == null) {
      error = Errors.ILLEGAL_GENERATION;
    } else {
      Errors checked =
          group.validateOffsetCommit(
              request.memberId(),
              request.groupInstanceId(),
              request.generationIdOrMemberEpoch(),
              LATEST_COMMIT_VERSION);
      error =
          checked == Errors.STALE_MEMBER_EPOCH
              ? Errors.ILLEGAL_GENERATION
              : checked == Errors.REBALANCE_IN_PROGRESS ? Errors.NONE : checked;
    }
    Commits commits = new Commits(groupId, error, -1);
    TxnOffsetCommitResponse.Builder response = TxnOffsetCommitResponse.newBuilder(false);
    for (TxnOffsetCommitRequestTopic topic : request.topics()) {
      for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
        Errors partitionError =
            commits.add(
                topic.name(),
                partition.partitionIndex(),
                partition.committedOffset(),
                partition.committedLeaderEpoch(),
                partition.committedMetadata());
        response.addPartition(
            NO_TOPIC_ID, topic.name(), partition.partitionIndex(), partitionError);
      }
    }
    return commits.result(response.build().data());
  }

  /**
   * The commits of one OffsetCommit or TxnOffsetCommit request: the records of those that are
   * valid, all at one commit time, with an explicit expiry when the request set a retention ({@code
   * retentionMs} not negative). {@code error} refuses every partition (the request's own checks).
   */
  private final class Commits {
    private final String groupId;
    private final Errors error;
    private final long now = clock.getAsLong();
    private final long expireTimestamp;
    private final List<GroupRecord> records = new ArrayList<>();

    Commits(String groupId, Errors error, long retentionMs) {
      this.groupId = groupId;
      this.error = error;
      this.expireTimestamp = retentionMs >= 0 ? now + retentionMs : -1;
    }

    /** The partition's error; a valid commit adds its record. */
    Errors add(String topic, int partition, long offset, int leaderEpoch, String metadata) {
      if (error != Errors.NONE) {
        return error;
      }
      String checked = metadata == null ? "" : metadata;
      if (checked.length() > config.offsetMetadataMaxBytes()) {
        return Errors.OFFSET_METADATA_TOO_LARGE;
      }
      records.add(
          OffsetRecords.commit(
              groupId,
              topic,
              partition,
              new OffsetAndMetadata(offset, leaderEpoch, checked, now, expireTimestamp)));
      return Errors.NONE;
    }

    <T> CoordinatorResult<T> result(T response) {
      if (!records.isEmpty()) {
        metrics.offsetsCommitted(records.size());
      }
      return CoordinatorResult.of(records, response);
    }
  }

  /** Responses name topics, not ids (the request versions served carry names). */
  private static final Uuid NO_TOPIC_ID = Uuid.ZERO_UUID;

  /** The OffsetCommit version whose checks a transactional commit gets (member epochs included). */
  private static final short LATEST_COMMIT_VERSION = 9;

  /** Committed offsets of a group: all of them when {@code topics} is null. */
  public OffsetFetchResponseGroup fetch(
      String groupId,
      String memberId,
      int memberEpoch,
      List<OffsetFetchRequestTopics> topics,
      Group group) {
    return fetch(groupId, memberId, memberEpoch, topics, false, group);
  }

  /**
   * Committed offsets of a group: all of them when {@code topics} is null. With {@code
   * requireStable}, a partition with an offset pending in an open transaction answers
   * UNSTABLE_OFFSET_COMMIT (the consumer retries), so a read_committed consumer never starts from
   * an offset a transaction is about to move.
   */
  public OffsetFetchResponseGroup fetch(
      String groupId,
      String memberId,
      int memberEpoch,
      List<OffsetFetchRequestTopics> topics,
      boolean requireStable,
      Group group) {
    OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
    if (group != null) {
      Errors error = group.validateOffsetFetch(memberId, memberEpoch);
      if (error != Errors.NONE) {
        return response.setErrorCode(error.code());
      }
    }
    List<OffsetFetchResponseTopics> fetched = offsets.fetch(groupId, topics);
    if (requireStable) {
      for (OffsetFetchResponseTopics topic : fetched) {
        for (OffsetFetchResponsePartitions partition : topic.partitions()) {
          if (pending.isPending(
              groupId, new TopicPartition(topic.name(), partition.partitionIndex()))) {
            partition
                .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code())
                .setCommittedOffset(-1)
                .setCommittedLeaderEpoch(-1)
                .setMetadata("");
          }
        }
      }
    }
    return response.setTopics(fetched);
  }

  public CoordinatorResult<OffsetDeleteResponseData> delete(
      OffsetDeleteRequestData request, Group group) {
    OffsetDeleteResponseData response = new OffsetDeleteResponseData();
    Errors error = group == null ? Errors.GROUP_ID_NOT_FOUND : group.validateOffsetDelete();
    if (error != Errors.NONE) {
      return CoordinatorResult.of(response.setErrorCode(error.code()));
    }
    Map<TopicPartition, OffsetAndMetadata> committed = offsets.of(request.groupId());
    List<GroupRecord> records = new ArrayList<>();
    for (OffsetDeleteRequestTopic topic : request.topics()) {
      OffsetDeleteResponseTopic topicResponse =
          new OffsetDeleteResponseTopic().setName(topic.name());
      boolean subscribed = group.isSubscribedToTopic(topic.name());
      for (OffsetDeleteRequestPartition partition : topic.partitions()) {
        Errors partitionError = Errors.NONE;
        if (subscribed) {
          partitionError = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
        } else if (committed.containsKey(
            new TopicPartition(topic.name(), partition.partitionIndex()))) {
          records.add(
              OffsetRecords.tombstone(request.groupId(), topic.name(), partition.partitionIndex()));
        }
        topicResponse
            .partitions()
            .add(
                new OffsetDeleteResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(partitionError.code()));
      }
      response.topics().add(topicResponse);
    }
    return CoordinatorResult.of(records, response);
  }

  /**
   * Adds the removal of the group's offsets past their retention to {@code out}; returns how many
   * offsets the group keeps.
   */
  public int expire(Group group, List<GroupRecord> out) {
    long now = clock.getAsLong();
    String groupId = group.groupId();
    int kept = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.of(groupId).entrySet()) {
      OffsetAndMetadata om = entry.getValue();
      boolean expired;
      if (om.expireTimestamp() >= 0) {
        expired = now >= om.expireTimestamp();
      } else {
        long start = group.offsetRetentionStartMs(om);
        expired = start >= 0 && now - start >= config.offsetsRetentionMs();
      }
      if (expired) {
        out.add(
            OffsetRecords.tombstone(groupId, entry.getKey().topic(), entry.getKey().partition()));
      } else {
        kept++;
      }
    }
    return kept;
  }

  /** Adds the removal of every offset of the group to {@code out} (DeleteGroups). */
  public void deleteAll(String groupId, List<GroupRecord> out) {
    offsets
        .of(groupId)
        .keySet()
        .forEach(tp -> out.add(OffsetRecords.tombstone(groupId, tp.topic(), tp.partition())));
  }

  /** A read-only view of a group's committed offsets. */
  public Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    return offsets.of(groupId);
  }

  public long count() {
    return offsets.count();
  }

  /** Applies a durable offset record (a commit, or a tombstone that removes one). */
  public void replay(OffsetCommitKey key, OffsetCommitValue value) {
    pending.supersede(key.group(), new TopicPartition(key.topic(), key.partition()));
    if (value == null) {
      offsets.remove(key.group(), key.topic(), key.partition());
    } else {
      offsets.put(key.group(), key.topic(), key.partition(), OffsetRecords.offset(value));
    }
  }

  /** Applies a durable offset committed in the producer's transaction: pending until its end. */
  public void replayTransactional(long producerId, OffsetCommitKey key, OffsetCommitValue value) {
    if (value != null) {
      pending.put(
          producerId,
          key.group(),
          new TopicPartition(key.topic(), key.partition()),
          OffsetRecords.offset(value));
    }
  }

  /**
   * Applies the end of the producer's transaction: on commit its pending offsets become the
   * committed ones. Returns the groups that received offsets.
   */
  public Set<String> replayEndTransactionMarker(long producerId, boolean commit) {
    Map<String, Map<TopicPartition, OffsetAndMetadata>> taken = pending.take(producerId);
    if (!commit) {
      return Set.of();
    }
    taken.forEach(
        (groupId, committed) ->
            committed.forEach((tp, om) -> offsets.put(groupId, tp.topic(), tp.partition(), om)));
    return taken.keySet();
  }

  /** The records a compacted log must hold for the offsets. */
  public void snapshot(List<GroupRecord> out) {
    out.addAll(offsets.asRecords());
  }

  /** The records of offsets pending in open transactions, by producer. */
  public Map<Long, List<GroupRecord>> pendingSnapshot() {
    return pending.asRecords();
  }
}
