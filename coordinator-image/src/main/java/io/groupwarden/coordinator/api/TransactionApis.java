package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.group.GroupCoordinator;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.ProducerDescription;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.coordinator.log.TopicStore;
import io.groupwarden.coordinator.net.ClientRequest;
import io.groupwarden.coordinator.txn.TransactionCoordinator;
import io.groupwarden.coordinator.txn.TransactionPartitions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection;
import org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;

/**
 * The transaction APIs, translated to calls on the {@link TransactionCoordinator} (and, for offsets
 * committed in a transaction, on the {@link GroupCoordinator}); DescribeProducers reads the
 * partitions' producer state. Errors newer than a request's version are answered as Kafka answers
 * them to such a client: PRODUCER_FENCED as INVALID_PRODUCER_EPOCH, TRANSACTION_ABORTABLE as
 * INVALID_TXN_STATE.
 */
public record TransactionApis(
    TransactionCoordinator transactions, GroupCoordinator groups, TopicStore topics) {
  /** Errors a client of this version knows, as Kafka downgrades them. */
  private static Errors forVersion(
      Errors error, short version, int fencedSince, int abortableSince) {
    if (error == Errors.PRODUCER_FENCED && version < fencedSince) {
      return Errors.INVALID_PRODUCER_EPOCH;
    }
    if (error == Errors.TRANSACTION_ABORTABLE && version < abortableSince) {
      return Errors.INVALID_TXN_STATE;
    }
    return error;
  }

  public CompletableFuture<AbstractResponse> initProducerId(ClientRequest request) {
    InitProducerIdRequestData data = request.body(InitProducerIdRequest.class).data();
    short version = request.version();
    return transactions
        .initProducerId(
            data.transactionalId(),
            data.transactionTimeoutMs(),
            data.producerId(),
            data.producerEpoch())
        .thenApply(
            (InitProducerIdResponseData response) ->
                new InitProducerIdResponse(
                    response.setErrorCode(
                        forVersion(Errors.forCode(response.errorCode()), version, 4, 5).code())));
  }

  public CompletableFuture<AbstractResponse> addPartitionsToTxn(ClientRequest request) {
    AddPartitionsToTxnRequest body = request.body(AddPartitionsToTxnRequest.class);
    short version = request.version();
    if (version <= 3) {
      var data = body.data();
      List<TopicPartition> partitions =
          AddPartitionsToTxnRequest.getPartitions(data.v3AndBelowTopics());
      return addOrVerify(
              data.v3AndBelowTransactionalId(),
              data.v3AndBelowProducerId(),
              data.v3AndBelowProducerEpoch(),
              partitions,
              false,
              (short) 0)
          .thenApply(
              errors -> {
                Map<TopicPartition, Errors> downgraded = new LinkedHashMap<>();
                errors.forEach((tp, e) -> downgraded.put(tp, forVersion(e, version, 2, 5)));
                return new AddPartitionsToTxnResponse(
                    new AddPartitionsToTxnResponseData()
                        .setResultsByTopicV3AndBelow(
                            AddPartitionsToTxnResponse.resultForTransaction(
                                    AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, downgraded)
                                .topicResults()));
              });
    }
    // version 4+: a batch of transactions, sent by brokers (and verification-only requests)
    List<CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult>> results =
        new ArrayList<>();
    for (AddPartitionsToTxnTransaction txn : body.data().transactions()) {
      results.add(
          addOrVerify(
                  txn.transactionalId(),
                  txn.producerId(),
                  txn.producerEpoch(),
                  AddPartitionsToTxnRequest.getPartitions(txn.topics()),
                  txn.verifyOnly(),
                  (short) (version >= 5 ? 2 : 0))
              .thenApply(
                  errors ->
                      AddPartitionsToTxnResponse.resultForTransaction(
                          txn.transactionalId(), errors)));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              AddPartitionsToTxnResultCollection collection =
                  new AddPartitionsToTxnResultCollection();
              results.forEach(r -> collection.add(r.join()));
              return new AddPartitionsToTxnResponse(
                  new AddPartitionsToTxnResponseData().setResultsByTransaction(collection));
            });
  }

  /**
   * Adds (or checks) partitions; partitions of unknown topics are answered
   * UNKNOWN_TOPIC_OR_PARTITION and then nothing is added (OPERATION_NOT_ATTEMPTED for the rest).
   */
  private CompletableFuture<Map<TopicPartition, Errors>> addOrVerify(
      String transactionalId,
      long producerId,
      short epoch,
      List<TopicPartition> partitions,
      boolean verifyOnly,
      short transactionVersion) {
    Set<TopicPartition> unknown = new LinkedHashSet<>();
    for (TopicPartition tp : partitions) {
      if (!exists(tp)) {
        unknown.add(tp);
      }
    }
    if (!unknown.isEmpty()) {
      Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
      for (TopicPartition tp : partitions) {
        errors.put(
            tp,
            unknown.contains(tp)
                ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                : Errors.OPERATION_NOT_ATTEMPTED);
      }
      return CompletableFuture.completedFuture(errors);
    }
    Set<TopicPartition> wanted = new LinkedHashSet<>(partitions);
    if (verifyOnly) {
      return transactions.verifyPartitions(transactionalId, producerId, epoch, wanted);
    }
    return transactions
        .addPartitions(transactionalId, producerId, epoch, wanted, transactionVersion)
        .thenApply(
            error -> {
              Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
              wanted.forEach(tp -> errors.put(tp, error));
              return errors;
            });
  }

  private boolean exists(TopicPartition tp) {
    if (tp.topic().equals(TransactionPartitions.GROUP_OFFSETS_TOPIC)) {
      return tp.partition() >= 0 && tp.partition() < groups.shardCount();
    }
    Topic topic = topics.get(tp.topic());
    return topic != null && topic.partition(tp.partition()) != null;
  }

  /** AddOffsetsToTxn: the group's offsets (its shard, as a partition) join the transaction. */
  public CompletableFuture<AbstractResponse> addOffsetsToTxn(ClientRequest request) {
    AddOffsetsToTxnRequestData data = request.body(AddOffsetsToTxnRequest.class).data();
    short version = request.version();
    TopicPartition shard = TransactionPartitions.groupShard(groups.shardIndexOf(data.groupId()));
    return transactions
        .addPartitions(
            data.transactionalId(),
            data.producerId(),
            data.producerEpoch(),
            Set.of(shard),
            (short) 0)
        .thenApply(
            error ->
                new AddOffsetsToTxnResponse(
                    new AddOffsetsToTxnResponseData()
                        .setErrorCode(forVersion(error, version, 2, 4).code())));
  }

  public CompletableFuture<AbstractResponse> endTxn(ClientRequest request) {
    EndTxnRequestData data = request.body(EndTxnRequest.class).data();
    short version = request.version();
    return transactions
        .endTxn(
            data.transactionalId(),
            data.producerId(),
            data.producerEpoch(),
            data.committed(),
            (short) (version >= 5 ? 2 : 0))
        .thenApply(
            response ->
                new EndTxnResponse(
                    response.setErrorCode(
                        forVersion(Errors.forCode(response.errorCode()), version, 2, 4).code())));
  }

  /**
   * TxnOffsetCommit: the group's shard must be in the transaction (added now with the transaction
   * protocol version 2, v5+; added by AddOffsetsToTxn before), then the offsets are written in the
   * producer's transaction and count when it commits.
   */
  public CompletableFuture<AbstractResponse> txnOffsetCommit(ClientRequest request) {
    TxnOffsetCommitRequestData data = request.body(TxnOffsetCommitRequest.class).data();
    short version = request.version();
    TopicPartition shard = TransactionPartitions.groupShard(groups.shardIndexOf(data.groupId()));
    CompletableFuture<Errors> inTransaction =
        version >= 5
            ? transactions.addPartitions(
                data.transactionalId(),
                data.producerId(),
                data.producerEpoch(),
                Set.of(shard),
                (short) 2)
            : transactions
                .verifyPartitions(
                    data.transactionalId(), data.producerId(), data.producerEpoch(), Set.of(shard))
                .thenApply(errors -> errors.get(shard));
    return inTransaction.thenCompose(
        error -> {
          if (error != Errors.NONE) {
            Errors downgraded = forVersion(error, version, 3, 4);
            return CompletableFuture.completedFuture(
                new TxnOffsetCommitResponse(
                    TxnOffsetCommitRequest.getErrorResponse(data, downgraded)));
          }
          return groups
              .commitTransactionalOffsets(data.producerId(), data.producerEpoch(), data)
              .thenApply(TxnOffsetCommitResponse::new);
        });
  }

  public CompletableFuture<AbstractResponse> describeTransactions(ClientRequest request) {
    DescribeTransactionsRequest body = request.body(DescribeTransactionsRequest.class);
    List<CompletableFuture<DescribeTransactionsResponseData.TransactionState>> states =
        new ArrayList<>();
    for (String transactionalId : body.data().transactionalIds()) {
      states.add(transactions.describe(transactionalId));
    }
    return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new))
        .thenApply(
            v ->
                new DescribeTransactionsResponse(
                    new DescribeTransactionsResponseData()
                        .setTransactionStates(
                            states.stream().map(CompletableFuture::join).toList())));
  }

  public CompletableFuture<AbstractResponse> listTransactions(ClientRequest request) {
    ListTransactionsRequestData data = request.body(ListTransactionsRequest.class).data();
    return transactions
        .list(
            data.stateFilters(),
            data.producerIdFilters(),
            request.version() >= 1 ? data.durationFilter() : -1,
            request.version() >= 2 ? data.transactionalIdPattern() : null)
        .thenApply(ListTransactionsResponse::new);
  }

  /** DescribeProducers: the producers that wrote to each partition, and their open transaction. */
  public DescribeProducersResponse describeProducers(ClientRequest request) {
    DescribeProducersRequest body = request.body(DescribeProducersRequest.class);
    DescribeProducersResponseData response = new DescribeProducersResponseData();
    for (TopicRequest requested : body.data().topics()) {
      TopicResponse topicResponse = new TopicResponse().setName(requested.name());
      Topic topic = topics.get(requested.name());
      for (int index : requested.partitionIndexes()) {
        PartitionResponse partition = new PartitionResponse().setPartitionIndex(index);
        PartitionLog log = topic == null ? null : topic.partition(index);
        if (log == null) {
          partition
              .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
              .setErrorMessage("no partition " + requested.name() + "-" + index);
        } else {
          for (ProducerDescription state : log.producerStates()) {
            partition
                .activeProducers()
                .add(
                    new ProducerState()
                        .setProducerId(state.producerId())
                        .setProducerEpoch(state.epoch())
                        .setLastSequence(state.lastSequence())
                        .setLastTimestamp(state.lastTimestamp())
                        .setCoordinatorEpoch(state.coordinatorEpoch())
                        .setCurrentTxnStartOffset(state.currentTxnStartOffset()));
          }
        }
        topicResponse.partitions().add(partition);
      }
      response.topics().add(topicResponse);
    }
    return new DescribeProducersResponse(response);
  }
}
