package io.groupwarden.coordinator.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator as pure logic: every transactional id's {@link Transaction}, and the
 * handlers of InitProducerId, AddPartitionsToTxn (explicit, or implicit with a transactional
 * Produce), EndTxn, timeouts and expiry. Handlers decide and return the transactions to persist
 * ({@link TxnResult}); nothing changes until those are durable and replayed. Runs on one thread;
 * time is injected.
 *
 * <p>A transactional id with a write or markers in flight is not handed to a handler: the runtime
 * queues its requests until the transaction is complete, so handlers see only settled states.
 */
public final class TransactionCoordinatorShard {
  private final TransactionConfig config;
  private final LongSupplier clock;
  private final LongSupplier producerIds;
  private final Map<String, Transaction> transactions = new HashMap<>();

  /**
   * @param producerIds hands out new producer ids (never one given before)
   */
  public TransactionCoordinatorShard(
      TransactionConfig config, LongSupplier clock, LongSupplier producerIds) {
    this.config = config;
    this.clock = clock;
    this.producerIds = producerIds;
  }

  public Transaction get(String transactionalId) {
    return transactions.get(transactionalId);
  }

  // ---------------------------------------------------------------- InitProducerId

  /**
   * InitProducerId for a transactional id: the next epoch (fencing every older producer of the id),
   * or a new producer id when the epochs ran out. A transaction left open by an older producer is
   * aborted first ({@link TxnResult#abortFirst}).
   *
   * @param expectedProducerId -1 unless a producer recovers its own id (InitProducerId v3+)
   */
  public TxnResult<InitProducerIdResponseData> initProducerId(
      String transactionalId, int timeoutMs, long expectedProducerId, short expectedEpoch) {
    if (transactionalId.isEmpty()) {
      return TxnResult.of(initError(Errors.INVALID_REQUEST));
    }
    if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
      return TxnResult.of(initError(Errors.INVALID_TRANSACTION_TIMEOUT));
    }
    long now = clock.getAsLong();
    Transaction txn = transactions.get(transactionalId);
    if (txn == null) {
      txn = Transaction.created(transactionalId, producerIds.getAsLong(), timeoutMs, now);
    }
    boolean expected = expectedProducerId != Transaction.NO_PRODUCER_ID;
    if (expected
        && !(txn.producerEpoch() == Transaction.NO_EPOCH
            || expectedProducerId == txn.producerId()
            || (expectedProducerId == txn.previousProducerId()
                && Transaction.isEpochExhausted(expectedEpoch)))) {
      return TxnResult.of(initError(Errors.PRODUCER_FENCED));
    }
    switch (txn.state()) {
      case ONGOING -> {
        return TxnResult.abortFirst(txn.fencedForAbort(now));
      }
      case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
        Transaction next;
        if (txn.isEpochExhausted() && (!expected || expectedEpoch == txn.producerEpoch())) {
          next = txn.withNewProducerId(producerIds.getAsLong(), timeoutMs, now);
        } else if (!expected
            || txn.producerEpoch() == Transaction.NO_EPOCH
            || expectedEpoch == txn.producerEpoch()) {
          next = txn.withNextEpoch(timeoutMs, now);
        } else if (expectedEpoch == txn.lastProducerEpoch()) {
          // a retry whose answer was lost: the epoch already moved on for it
          return TxnResult.of(initOk(txn));
        } else {
          return TxnResult.of(initError(Errors.PRODUCER_FENCED));
        }
        return TxnResult.of(next, initOk(next));
      }
      default -> {
        return TxnResult.of(initError(Errors.CONCURRENT_TRANSACTIONS));
      }
    }
  }

  private static InitProducerIdResponseData initOk(Transaction txn) {
    return new InitProducerIdResponseData()
        .setProducerId(txn.producerId())
        .setProducerEpoch(txn.producerEpoch());
  }

  private static InitProducerIdResponseData initError(Errors error) {
    return new InitProducerIdResponseData()
        .setErrorCode(error.code())
        .setProducerId(Transaction.NO_PRODUCER_ID)
        .setProducerEpoch(Transaction.NO_EPOCH);
  }

  // ---------------------------------------------------------------- partitions

  /**
   * Adds partitions (or a group's offsets, as a {@code __consumer_offsets} partition) to the
   * producer's transaction, starting it if needed. The answer leaves once that is durable, so no
   * partition ever holds transactional records the coordinator does not know of.
   *
   * @param version 2 when the partition is added by the transaction protocol version 2 (implicitly
   *     by Produce v12 or TxnOffsetCommit v5), else 0
   */
  public TxnResult<Errors> addPartitions(
      String transactionalId,
      long producerId,
      short epoch,
      Set<TopicPartition> partitions,
      short version) {
    Transaction txn = transactions.get(transactionalId);
    Errors invalid = checkProducer(txn, producerId, epoch);
    if (invalid != Errors.NONE) {
      return TxnResult.of(invalid);
    }
    return switch (txn.state()) {
      case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE, DEAD ->
          TxnResult.of(Errors.CONCURRENT_TRANSACTIONS);
      case ONGOING ->
          txn.partitions().containsAll(partitions)
              ? TxnResult.of(Errors.NONE)
              : TxnResult.of(
                  txn.withPartitions(partitions, version, clock.getAsLong()), Errors.NONE);
      default ->
          TxnResult.of(txn.withPartitions(partitions, version, clock.getAsLong()), Errors.NONE);
    };
  }

  /**
   * Checks, without adding them, that the partitions are in the producer's transaction (a
   * transactional Produce or TxnOffsetCommit of the transaction protocol version 1).
   */
  public Map<TopicPartition, Errors> verifyPartitions(
      String transactionalId, long producerId, short epoch, Set<TopicPartition> partitions) {
    Transaction txn = transactions.get(transactionalId);
    Errors invalid = checkProducer(txn, producerId, epoch);
    Map<TopicPartition, Errors> result = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) {
      Errors error = invalid;
      if (error == Errors.NONE) {
        error =
            txn.state() == TransactionState.ONGOING && txn.partitions().contains(tp)
                ? Errors.NONE
                : Errors.TRANSACTION_ABORTABLE;
      }
      result.put(tp, error);
    }
    return result;
  }

  private static Errors checkProducer(Transaction txn, long producerId, short epoch) {
    if (txn == null || txn.producerId() != producerId) {
      return Errors.INVALID_PRODUCER_ID_MAPPING;
    }
    if (txn.producerEpoch() != epoch) {
      return Errors.PRODUCER_FENCED;
    }
    return Errors.NONE;
  }

  // ---------------------------------------------------------------- EndTxn

  /**
   * EndTxn: the decision to commit or abort is persisted, the producer is answered, then the
   * markers are written. With the transaction protocol version 2 the epoch moves on with every
   * transaction, the answer carries the next one, and a retry (its epoch one behind) is answered as
   * the first was.
   *
   * @param version 2 for EndTxn v5+ (the producer bumps its epoch with every transaction), else 0
   */
  public TxnResult<EndTxnResponseData> endTxn(
      String transactionalId, long producerId, short epoch, boolean commit, short version) {
    Transaction txn = transactions.get(transactionalId);
    if (transactionalId.isEmpty()) {
      return TxnResult.of(endError(Errors.INVALID_REQUEST));
    }
    if (txn == null) {
      return TxnResult.of(endError(Errors.INVALID_PRODUCER_ID_MAPPING));
    }
    boolean v2 = txn.bumpsEpochPerTransaction();
    boolean retryOnOverflow =
        v2
            && txn.previousProducerId() == producerId
            && epoch == Short.MAX_VALUE - 1
            && txn.producerEpoch() == 0;
    boolean retryOnBump = v2 && txn.producerEpoch() == epoch + 1;
    boolean retry = retryOnBump || retryOnOverflow;
    boolean sameEpoch = epoch == txn.producerEpoch();
    boolean validEpoch =
        switch (txn.state()) {
          case ONGOING, EMPTY, DEAD, PREPARE_EPOCH_FENCE -> sameEpoch;
          case PREPARE_COMMIT, PREPARE_ABORT -> v2 ? retryOnBump : sameEpoch;
          case COMPLETE_COMMIT, COMPLETE_ABORT -> v2 ? retry || sameEpoch : sameEpoch;
        };
    if (txn.producerId() != producerId && !retryOnOverflow) {
      return TxnResult.of(endError(Errors.INVALID_PRODUCER_ID_MAPPING));
    }
    if (!validEpoch) {
      return TxnResult.of(endError(Errors.PRODUCER_FENCED));
    }
    long now = clock.getAsLong();
    boolean abortWithoutPartitions = !commit && version >= Transaction.TV_2 && !retry;
    return switch (txn.state()) {
      case ONGOING -> prepare(txn, commit, version, now);
      case COMPLETE_COMMIT ->
          commit && (retry || !v2)
              ? TxnResult.of(endOk(txn))
              : abortWithoutPartitions
                  ? prepare(txn, false, version, now)
                  : TxnResult.of(endError(Errors.INVALID_TXN_STATE));
      case COMPLETE_ABORT ->
          !commit && (retry || !v2)
              ? TxnResult.of(endOk(txn))
              : abortWithoutPartitions
                  ? prepare(txn, false, version, now)
                  : TxnResult.of(endError(Errors.INVALID_TXN_STATE));
      case EMPTY ->
          abortWithoutPartitions
              ? prepare(txn, false, version, now)
              : TxnResult.of(endError(Errors.INVALID_TXN_STATE));
      case PREPARE_COMMIT, PREPARE_ABORT ->
          (txn.state() == TransactionState.PREPARE_COMMIT) == commit
              ? TxnResult.of(endError(Errors.CONCURRENT_TRANSACTIONS))
              : TxnResult.of(endError(Errors.INVALID_TXN_STATE));
      default -> TxnResult.of(endError(Errors.INVALID_TXN_STATE));
    };
  }

  private TxnResult<EndTxnResponseData> prepare(
      Transaction txn, boolean commit, short version, long now) {
    long nextId =
        version >= Transaction.TV_2 && txn.isEpochExhausted()
            ? producerIds.getAsLong()
            : Transaction.NO_PRODUCER_ID;
    Transaction prepared = txn.preparing(commit, version, nextId, now);
    EndTxnResponseData response =
        nextId != Transaction.NO_PRODUCER_ID
            // the producer continues under the new id, from epoch 0
            ? new EndTxnResponseData().setProducerId(nextId).setProducerEpoch((short) 0)
            : endOk(prepared);
    return TxnResult.ending(prepared, response);
  }

  private static EndTxnResponseData endOk(Transaction txn) {
    return new EndTxnResponseData()
        .setProducerId(txn.producerId())
        .setProducerEpoch(txn.producerEpoch());
  }

  private static EndTxnResponseData endError(Errors error) {
    return new EndTxnResponseData()
        .setErrorCode(error.code())
        .setProducerId(Transaction.NO_PRODUCER_ID)
        .setProducerEpoch(Transaction.NO_EPOCH);
  }

  /** Every marker of a prepared transaction is durable: it completes. */
  public TxnResult<Void> complete(String transactionalId) {
    Transaction txn = transactions.get(transactionalId);
    if (txn == null
        || (txn.state() != TransactionState.PREPARE_COMMIT
            && txn.state() != TransactionState.PREPARE_ABORT)) {
      throw new IllegalStateException(
          "completing " + transactionalId + " in state " + (txn == null ? "none" : txn.state()));
    }
    return TxnResult.of(txn.completed(clock.getAsLong()), null);
  }

  // ---------------------------------------------------------------- timeouts and expiry

  /** The transactional ids whose open transaction outlived its timeout. */
  public List<String> timedOut() {
    long now = clock.getAsLong();
    List<String> expired = new ArrayList<>();
    for (Transaction txn : transactions.values()) {
      if (txn.state() == TransactionState.ONGOING
          && now > txn.startTimestampMs() + txn.timeoutMs()) {
        expired.add(txn.transactionalId());
      }
    }
    return expired;
  }

  /** Aborts a transaction past its timeout, fencing its producer; nothing if it moved on. */
  public TxnResult<Void> abortTimedOut(String transactionalId) {
    Transaction txn = transactions.get(transactionalId);
    long now = clock.getAsLong();
    if (txn == null
        || txn.state() != TransactionState.ONGOING
        || now <= txn.startTimestampMs() + txn.timeoutMs()) {
      return TxnResult.of(null);
    }
    return TxnResult.ending(txn.fencedForAbort(now), null);
  }

  /** Transactional ids unused for longer than their expiry, with no transaction open. */
  public List<String> expiredTransactionalIds() {
    long now = clock.getAsLong();
    List<String> expired = new ArrayList<>();
    for (Transaction txn : transactions.values()) {
      if (isIdle(txn) && now - txn.lastUpdateTimestampMs() > config.idExpirationMs()) {
        expired.add(txn.transactionalId());
      }
    }
    return expired;
  }

  /**
   * After the broker stopped without closing its logs (a crash), a transaction still open may have
   * lost records its producer was told were written: it is aborted, fencing its producer, so it can
   * never commit with a hole.
   */
  public TxnResult<Void> abortAfterCrash(String transactionalId) {
    Transaction txn = transactions.get(transactionalId);
    if (txn == null || txn.state() != TransactionState.ONGOING) {
      return TxnResult.of(null);
    }
    return TxnResult.ending(txn.fencedForAbort(clock.getAsLong()), null);
  }

  /** Removes an expired transactional id; nothing if it was used meanwhile. */
  public TxnResult<Void> expire(String transactionalId) {
    Transaction txn = transactions.get(transactionalId);
    long now = clock.getAsLong();
    if (txn == null
        || !isIdle(txn)
        || now - txn.lastUpdateTimestampMs() <= config.idExpirationMs()) {
      return TxnResult.of(null);
    }
    return TxnResult.of(txn.dead(now), null);
  }

  private static boolean isIdle(Transaction txn) {
    return txn.state() == TransactionState.EMPTY
        || txn.state() == TransactionState.COMPLETE_COMMIT
        || txn.state() == TransactionState.COMPLETE_ABORT;
  }

  // ---------------------------------------------------------------- describe and list

  public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
    DescribeTransactionsResponseData.TransactionState state =
        new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
    Transaction txn = transactions.get(transactionalId);
    if (transactionalId.isEmpty()) {
      return state.setErrorCode(Errors.INVALID_REQUEST.code());
    }
    if (txn == null) {
      return state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
    }
    Map<String, DescribeTransactionsResponseData.TopicData> topics = new LinkedHashMap<>();
    txn.partitions().stream()
        .sorted((a, b) -> a.toString().compareTo(b.toString()))
        .forEach(
            tp ->
                topics
                    .computeIfAbsent(
                        tp.topic(),
                        t -> new DescribeTransactionsResponseData.TopicData().setTopic(t))
                    .partitions()
                    .add(tp.partition()));
    DescribeTransactionsResponseData.TopicDataCollection collection =
        new DescribeTransactionsResponseData.TopicDataCollection();
    topics.values().forEach(collection::add);
    return state
        .setTransactionState(txn.state().displayName())
        .setTransactionTimeoutMs(txn.timeoutMs())
        .setTransactionStartTimeMs(txn.startTimestampMs())
        .setProducerId(txn.producerId())
        .setProducerEpoch(txn.producerEpoch())
        .setTopics(collection);
  }

  /**
   * ListTransactions with Kafka's filters: states, producer ids, a minimum running time and a
   * pattern of transactional ids (each empty or negative: no filter).
   */
  public ListTransactionsResponseData list(
      List<String> states, List<Long> producerIds, long minDurationMs, String idPattern) {
    ListTransactionsResponseData response = new ListTransactionsResponseData();
    Pattern pattern = null;
    if (idPattern != null && !idPattern.isEmpty()) {
      try {
        pattern = Pattern.compile(idPattern);
      } catch (PatternSyntaxException e) {
        return response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String state : states) {
      if (TransactionState.fromDisplayName(state) == null) {
        unknown.add(state);
      }
    }
    response.setUnknownStateFilters(unknown);
    long now = clock.getAsLong();
    for (Transaction txn : transactions.values()) {
      boolean matches =
          (states.isEmpty() || states.contains(txn.state().displayName()))
              && (producerIds.isEmpty() || producerIds.contains(txn.producerId()))
              && (minDurationMs < 0
                  || (txn.state().isOpen() && now - txn.startTimestampMs() >= minDurationMs))
              && (pattern == null || pattern.matcher(txn.transactionalId()).matches());
      if (matches) {
        response
            .transactionStates()
            .add(
                new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(txn.transactionalId())
                    .setProducerId(txn.producerId())
                    .setTransactionState(txn.state().displayName()));
      }
    }
    return response;
  }

  // ---------------------------------------------------------------- replay

  /** Applies a durable transaction value (DEAD removes the transactional id). */
  public void replay(Transaction txn) {
    if (txn.state() == TransactionState.DEAD) {
      transactions.remove(txn.transactionalId());
    } else {
      transactions.put(txn.transactionalId(), txn);
    }
  }

  /** A transactional id whose removal (a tombstone) was read from the log. */
  public void forget(String transactionalId) {
    transactions.remove(transactionalId);
  }

  /** Every transaction, for snapshots and recovery. */
  public List<Transaction> all() {
    return new ArrayList<>(transactions.values());
  }

  /** Transactions begun and not yet complete. */
  public int openCount() {
    int open = 0;
    for (Transaction txn : transactions.values()) {
      if (txn.state().isOpen()) {
        open++;
      }
    }
    return open;
  }
}
