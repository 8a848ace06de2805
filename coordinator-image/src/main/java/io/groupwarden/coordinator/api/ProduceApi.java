package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.log.FsyncBatcher;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.ProducerIdAllocator;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import io.groupwarden.coordinator.txn.TransactionCoordinator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;

/**
 * Produce and InitProducerId for idempotent producers. With acks=all the response waits for the
 * batch's fsync (a transactional batch's waits only for its write: the commit waits for the fsync);
 * with acks=1 it leaves once the batch is written; with acks=0 nothing is sent back. Every append
 * asks for a sync, because consumers only see what is durable.
 *
 * <p>A transactional Produce writes to a partition only once the transaction coordinator has it in
 * the producer's transaction: the first batch of a transaction in a partition waits for the
 * coordinator to add it (Produce v12, the transaction protocol version 2) or to confirm it was
 * added (older versions). A producer's transactional requests are handled one after another, so
 * that a request waiting for the coordinator is never overtaken by the next one of the same
 * producer.
 */
public record ProduceApi(
    TopicStore topics,
    FsyncBatcher fsync,
    ProducerIdAllocator producerIds,
    TransactionCoordinator transactions,
    ProducerTurns turns) {

  /** One partition of a produce request and where its answer goes. */
  private record Write(
      PartitionProduceResponse response, PartitionLog log, MemoryRecords records, Errors error) {}

  /** A produce request's partitions, checked, with its response being filled. */
  private record Parsed(ProduceResponseData response, List<Write> writes) {}

  /**
   * A partition that was written, and its fsync; {@code durableBeforeAnswer} when the answer waits
   * for it.
   */
  private record Appended(
      PartitionProduceResponse response,
      CompletableFuture<Void> sync,
      boolean durableBeforeAnswer) {}

  public CompletableFuture<AbstractResponse> produce(ClientRequest request) {
    ProduceRequest body = request.body(ProduceRequest.class);
    short acks = body.data().acks();
    Parsed parsed = parse(body, acks);
    String transactionalId = body.data().transactionalId();
    RecordBatch first = transactionalId == null ? null : firstBatch(parsed.writes());
    if (first == null) {
      return respond(acks, parsed, append(parsed.writes(), Map.of(), request.version(), false));
    }
    if (!first.isTransactional() || !first.hasProducerId()) {
      for (Write write : parsed.writes()) {
        if (write.error() == Errors.NONE) {
          write
              .response()
              .setErrorCode(Errors.INVALID_RECORD.code())
              .setErrorMessage("a transactional produce carries transactional batches only");
        }
      }
      return respond(acks, parsed, List.of());
    }
    long producerId = first.producerId();
    short epoch = first.producerEpoch();
    CompletableFuture<List<Appended>> durable =
        turns.next(
            producerId,
            () ->
                verify(transactionalId, producerId, epoch, parsed.writes(), request.version())
                    .handle(
                        (verdicts, error) -> {
                          Map<PartitionLog, Errors> known =
                              error == null
                                  ? verdicts
                                  : failAll(parsed.writes(), Errors.forException(error));
                          return append(parsed.writes(), known, request.version(), true);
                        }));
    return durable.thenCompose(futures -> respond(acks, parsed, futures));
  }

  private Parsed parse(ProduceRequest body, short acks) {
    ProduceResponseData response = new ProduceResponseData();
    List<Write> writes = new ArrayList<>();
    for (TopicProduceData topicData : body.data().topicData()) {
      TopicProduceResponse topicResponse =
          new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
      Topic topic = topics.get(topicData.name());
      for (PartitionProduceData partitionData : topicData.partitionData()) {
        PartitionProduceResponse partitionResponse =
            new PartitionProduceResponse().setIndex(partitionData.index());
        topicResponse.partitionResponses().add(partitionResponse);
        PartitionLog log = topic == null ? null : topic.partition(partitionData.index());
        Errors error = Errors.NONE;
        MemoryRecords records = null;
        if (acks != -1 && acks != 0 && acks != 1) {
          error = Errors.INVALID_REQUIRED_ACKS;
        } else if (log == null) {
          error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (!(partitionData.records() instanceof MemoryRecords memoryRecords)) {
          error = Errors.CORRUPT_MESSAGE;
        } else {
          records = memoryRecords;
        }
        if (error != Errors.NONE) {
          partitionResponse.setErrorCode(error.code());
        }
        writes.add(new Write(partitionResponse, log, records, error));
      }
      response.responses().add(topicResponse);
    }
    return new Parsed(response, writes);
  }

  private static RecordBatch firstBatch(List<Write> writes) {
    for (Write write : writes) {
      if (write.error() == Errors.NONE) {
        try {
          for (RecordBatch batch : write.records().batches()) {
            return batch;
          }
        } catch (RuntimeException e) {
          return null; // unreadable: the append refuses it with its reason
        }
      }
    }
    return null;
  }

  /**
   * Asks the transaction coordinator about the partitions where the producer has no transaction
   * open yet. Partitions it already writes to in this transaction need no question.
   */
  private CompletableFuture<Map<PartitionLog, Errors>> verify(
      String transactionalId, long producerId, short epoch, List<Write> writes, short version) {
    Map<TopicPartition, PartitionLog> unverified = new HashMap<>();
    for (Write write : writes) {
      if (write.error() == Errors.NONE && !write.log().inTransaction(producerId, epoch)) {
        unverified.put(write.log().partition(), write.log());
      }
    }
    if (unverified.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    Set<TopicPartition> partitions = new LinkedHashSet<>(unverified.keySet());
    if (version >= 12) {
      // transaction protocol version 2: the produce adds its partitions to the transaction
      return transactions
          .addPartitions(transactionalId, producerId, epoch, partitions, (short) 2)
          .thenApply(
              error -> {
                Map<PartitionLog, Errors> result = new HashMap<>();
                unverified.values().forEach(log -> result.put(log, error));
                return result;
              });
    }
    return transactions
        .verifyPartitions(transactionalId, producerId, epoch, partitions)
        .thenApply(
            errors -> {
              Map<PartitionLog, Errors> result = new HashMap<>();
              errors.forEach((tp, error) -> result.put(unverified.get(tp), error));
              return result;
            });
  }

  private static Map<PartitionLog, Errors> failAll(List<Write> writes, Errors error) {
    Map<PartitionLog, Errors> result = new HashMap<>();
    for (Write write : writes) {
      if (write.log() != null) {
        result.put(write.log(), error);
      }
    }
    return result;
  }

  /**
   * Appends every acceptable partition; {@code verdicts} holds the coordinator's answer for the
   * partitions of a transaction it was asked about. Returns the syncs.
   *
   * <p>Records of a transaction are answered once written, without waiting for their fsync: they
   * count only when the transaction commits, and the commit is decided only once they are durable
   * (the coordinator syncs the transaction's partitions first). A broker that crashed aborts the
   * transactions it had open, so a record that a crash took back can never be part of a commit.
   */
  private List<Appended> append(
      List<Write> writes,
      Map<PartitionLog, Errors> verdicts,
      short version,
      boolean transactional) {
    List<Appended> durable = new ArrayList<>();
    for (Write write : writes) {
      if (write.error() != Errors.NONE) {
        continue;
      }
      Errors verdict = verdicts.get(write.log());
      if (verdict != null && verdict != Errors.NONE) {
        write
            .response()
            .setErrorCode(produceError(verdict, version).code())
            .setErrorMessage("the transaction coordinator answered " + verdict);
        continue;
      }
      PartitionLog.AppendResult result = write.log().append(write.records(), verdict != null);
      Errors error =
          result.error() == Errors.INVALID_TXN_STATE
              ? produceError(result.error(), version)
              : result.error();
      write
          .response()
          .setErrorCode(error.code())
          .setErrorMessage(result.message())
          .setBaseOffset(result.baseOffset())
          .setLogAppendTimeMs(-1)
          .setLogStartOffset(write.log().logStartOffset());
      if (result.baseOffset() >= 0) {
        durable.add(new Appended(write.response(), fsync.sync(write.log()), !transactional));
      }
    }
    return durable;
  }

  /**
   * The error a producer understands for a transaction problem: fencing is INVALID_PRODUCER_EPOCH
   * (Produce has no PRODUCER_FENCED), a transaction busy ending is retriable, and anything else
   * makes the transaction abortable (TRANSACTION_ABORTABLE from Produce v11, else
   * INVALID_TXN_STATE).
   */
  private static Errors produceError(Errors error, short version) {
    return switch (error) {
      case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
      case CONCURRENT_TRANSACTIONS, COORDINATOR_NOT_AVAILABLE -> Errors.NOT_ENOUGH_REPLICAS;
      default -> version >= 11 ? Errors.TRANSACTION_ABORTABLE : Errors.INVALID_TXN_STATE;
    };
  }

  private CompletableFuture<AbstractResponse> respond(
      short acks, Parsed parsed, List<Appended> appended) {
    if (acks == 0) {
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<Void>> durable = new ArrayList<>();
    List<PartitionProduceResponse> written = new ArrayList<>();
    if (acks == -1) {
      for (Appended partition : appended) {
        if (partition.durableBeforeAnswer()) {
          durable.add(partition.sync());
          written.add(partition.response());
        }
      }
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
              return new ProduceResponse(parsed.response());
            });
  }

  /** InitProducerId without a transactional id: an idempotent producer. */
  public InitProducerIdResponse initProducerId(ClientRequest request) {
    InitProducerIdRequestData data = request.body(InitProducerIdRequest.class).data();
    InitProducerIdResponseData response = new InitProducerIdResponseData();
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
