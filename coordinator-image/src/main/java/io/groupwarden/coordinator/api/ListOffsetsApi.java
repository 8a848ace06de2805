package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;

/** ListOffsets: earliest, latest, max timestamp and by timestamp, for either isolation level. */
public record ListOffsetsApi(TopicStore topics) {
  public ListOffsetsResponse listOffsets(ClientRequest request) {
    ListOffsetsRequest body = request.body(ListOffsetsRequest.class);
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    boolean readCommitted = body.data().isolationLevel() == IsolationLevel.READ_COMMITTED.id();
    for (ListOffsetsTopic requested : body.data().topics()) {
      ListOffsetsTopicResponse topicResponse =
          new ListOffsetsTopicResponse().setName(requested.name());
      Topic topic = topics.get(requested.name());
      for (ListOffsetsPartition partition : requested.partitions()) {
        PartitionLog log = topic == null ? null : topic.partition(partition.partitionIndex());
        ListOffsetsPartitionResponse found = lookup(log, partition, readCommitted);
        if (request.version() < 4) {
          found.setLeaderEpoch(-1); // not in the response before version 4
        }
        topicResponse.partitions().add(found);
      }
      response.topics().add(topicResponse);
    }
    return new ListOffsetsResponse(response);
  }

  /**
   * One partition's answer. For read_committed the log ends at the last stable offset: "latest" is
   * that offset and a search by timestamp finds nothing at or past it, as in Kafka.
   */
  private static ListOffsetsPartitionResponse lookup(
      PartitionLog log, ListOffsetsPartition partition, boolean readCommitted) {
    ListOffsetsPartitionResponse result =
        new ListOffsetsPartitionResponse()
            .setPartitionIndex(partition.partitionIndex())
            .setTimestamp(-1)
            .setOffset(-1)
            .setLeaderEpoch(0);
    if (log == null) {
      return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
    long timestamp = partition.timestamp();
    long end = readCommitted ? log.lastStableOffset() : log.highWatermark();
    if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
      return result.setOffset(end);
    }
    if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
        || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
      return result.setOffset(log.logStartOffset());
    }
    if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
      TimestampAndOffset max = log.offsetOfMaxTimestamp();
      return max == null || max.offset >= end
          ? result
          : result.setOffset(max.offset).setTimestamp(max.timestamp);
    }
    if (timestamp < 0) {
      // Tiered-storage specs: nothing is tiered here.
      return result;
    }
    TimestampAndOffset found = log.offsetForTimestamp(timestamp);
    return found == null || found.offset >= end
        ? result
        : result.setOffset(found.offset).setTimestamp(found.timestamp);
  }
}
