package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.ProducerIdAllocator;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * Produce and InitProducerId. With acks=all the response waits for the batch's fsync; with acks=1
 * it leaves once the batch is written; with acks=0 nothing is sent back. Every append asks for a
 * sync, because consumers only see what is durable.
 */
public final class ProduceApi {
  private final TopicStore topics;
  private final FsyncBatcher fsync;
  private final ProducerIdAllocator producerIds;

  public ProduceApi(TopicStore topics, FsyncBatcher fsync, ProducerIdAllocator producerIds) {
    this.topics = topics;
    this.fsync = fsync;
    this.producerIds = producerIds;
  }

  public CompletableFuture<AbstractResponse> produce(ClientRequest request) {
    ProduceRequest body = request.body(ProduceRequest.class);
    short acks = body.data().acks();
    ProduceResponseData response = new ProduceResponseData();
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    List<PartitionProduceResponse> written = new ArrayList<>();
    for (TopicProduceData topicData : body.data().topicData()) {
      TopicProduceResponse topicResponse =
          new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
      Topic topic = topics.get(topicData.name());
      for (PartitionProduceData partitionData : topicData.partitionData()) {
        PartitionProduceResponse partitionResponse =
            new PartitionProduceResponse().setIndex(partitionData.index());
        topicResponse.partitionResponses().add(partitionResponse);
        PartitionLog log = topic == null ? null : topic.partition(partitionData.index());
        if (acks != -1 && acks != 0 && acks != 1) {
          partitionResponse.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
        } else if (body.data().transactionalId() != null) {
          partitionResponse
              .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
              .setErrorMessage("transactions are not supported by this broker");
        } else if (log == null) {
          partitionResponse.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        } else if (!(partitionData.records() instanceof MemoryRecords records)) {
          partitionResponse.setErrorCode(Errors.CORRUPT_MESSAGE.code());
        } else {
          PartitionLog.AppendResult result = log.append(records);
          partitionResponse
              .setErrorCode(result.error().code())
              .setErrorMessage(result.message())
              .setBaseOffset(result.baseOffset())
              .setLogAppendTimeMs(-1)
              .setLogStartOffset(log.logStartOffset());
          if (result.baseOffset() >= 0) {
            CompletableFuture<Void> synced = fsync.sync(log);
            if (acks == -1) {
              durable.add(synced);
              written.add(partitionResponse);
            }
          }
        }
      }
      response.responses().add(topicResponse);
    }
    if (acks == 0) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new))
        .handle(
            (ok, error) -> {
              if (error != null) {
                for (PartitionProduceResponse partition : written) {
                  partition
                      .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
                      .setErrorMessage("the write could not be made durable")
                      .setBaseOffset(-1);
                }
              }
              return new ProduceResponse(response);
            });
  }

  public InitProducerIdResponse initProducerId(ClientRequest request) {
    InitProducerIdRequestData data = request.body(InitProducerIdRequest.class).data();
    InitProducerIdResponseData response = new InitProducerIdResponseData();
    if (data.transactionalId() != null) {
      return new InitProducerIdResponse(
          response
              .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
              .setProducerId(-1)
              .setProducerEpoch((short) -1));
    }
    if (data.producerId() >= 0
        && data.producerEpoch() >= 0
        && data.producerEpoch() < Short.MAX_VALUE - 1) {
      // An idempotent producer resuming after an error: same id, next epoch, sequences from 0.
      return new InitProducerIdResponse(
          response
              .setProducerId(data.producerId())
              .setProducerEpoch((short) (data.producerEpoch() + 1)));
    }
    return new InitProducerIdResponse(
        response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0));
  }
}
