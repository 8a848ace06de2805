package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import java.io.IOException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;

/**
 * DeleteRecords: each partition's log start moves to the requested offset (the high watermark for
 * -1), durably, and segments wholly before it are deleted. Kafka Streams purges the repartition
 * topics it has consumed this way.
 */
public record DeleteRecordsApi(TopicStore topics) {
  public DeleteRecordsResponse deleteRecords(ClientRequest request) {
    DeleteRecordsRequest body = request.body(DeleteRecordsRequest.class);
    DeleteRecordsResponseData response = new DeleteRecordsResponseData();
    for (DeleteRecordsTopic requested : body.data().topics()) {
      DeleteRecordsTopicResult topicResult =
          new DeleteRecordsTopicResult().setName(requested.name());
      Topic topic = topics.get(requested.name());
      for (DeleteRecordsPartition partition : requested.partitions()) {
        DeleteRecordsPartitionResult result =
            new DeleteRecordsPartitionResult()
                .setPartitionIndex(partition.partitionIndex())
                .setLowWatermark(-1);
        PartitionLog log = topic == null ? null : topic.partition(partition.partitionIndex());
        if (log == null) {
          result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        } else {
          try {
            result.setLowWatermark(log.deleteRecordsBefore(partition.offset()));
          } catch (ApiException e) {
            result.setErrorCode(Errors.forException(e).code());
          } catch (IOException e) {
            result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
          }
        }
        topicResult.partitions().add(result);
      }
      response.topics().add(topicResult);
    }
    return new DeleteRecordsResponse(response);
  }
}
