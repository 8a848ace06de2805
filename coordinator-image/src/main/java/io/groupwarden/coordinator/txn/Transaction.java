package io.groupwarden.coordinator.txn;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The state of one transactional id: its producer id and epoch, the partitions of its open
 * transaction, its timeout. Immutable: every change is a new value, checked against the state's
 * legal transitions, that is persisted to the transaction log before it takes effect.
 *
 * @param previousProducerId the producer id before the last rotation (for retries across it)
 * @param nextProducerId the producer id a transaction that exhausted its epochs continues with
 * @param lastProducerEpoch the epoch before the last bump, known only in memory (for retries)
 * @param clientTransactionVersion 2 when the producer bumps the epoch with every transaction
 *     (KIP-890), else 0
 */
public record Transaction(
    String transactionalId,
    long producerId,
    long previousProducerId,
    long nextProducerId,
    short producerEpoch,
    short lastProducerEpoch,
    int timeoutMs,
    TransactionState state,
    Set<TopicPartition> partitions,
    long startTimestampMs,
    long lastUpdateTimestampMs,
    short clientTransactionVersion) {

  static final long NO_PRODUCER_ID = RecordBatch.NO_PRODUCER_ID;
  static final short NO_EPOCH = RecordBatch.NO_PRODUCER_EPOCH;
  static final short TV_0 = 0;
  static final short TV_2 = 2;

  public Transaction {
    partitions = Set.copyOf(partitions);
  }

  /** A transactional id seen for the first time: no epoch yet. */
  static Transaction created(String transactionalId, long producerId, int timeoutMs, long now) {
    return new Transaction(
        transactionalId,
        producerId,
        NO_PRODUCER_ID,
        NO_PRODUCER_ID,
        NO_EPOCH,
        NO_EPOCH,
        timeoutMs,
        TransactionState.EMPTY,
        Set.of(),
        -1,
        now,
        TV_0);
  }

  /** Epochs run out before {@link Short#MAX_VALUE}, which stays free for fencing. */
  static boolean isEpochExhausted(short epoch) {
    return epoch >= Short.MAX_VALUE - 1;
  }

  boolean isEpochExhausted() {
    return isEpochExhausted(producerEpoch);
  }

  boolean bumpsEpochPerTransaction() {
    return clientTransactionVersion >= TV_2;
  }

  private Transaction to(
      TransactionState next,
      long producerId,
      long previousProducerId,
      long nextProducerId,
      short epoch,
      short lastEpoch,
      int timeoutMs,
      Set<TopicPartition> partitions,
      long startMs,
      long now,
      short version) {
    if (!next.mayFollow(state)) {
      throw new IllegalStateException(
          "transactional id "
              + transactionalId
              + " cannot move from "
              + state.displayName()
              + " to "
              + next.displayName());
    }
    return new Transaction(
        transactionalId,
        producerId,
        previousProducerId,
        nextProducerId,
        epoch,
        lastEpoch,
        timeoutMs,
        next,
        partitions,
        startMs,
        now,
        version);
  }

  /** InitProducerId: the next epoch, an empty transaction. */
  Transaction withNextEpoch(int newTimeoutMs, long now) {
    return to(
        TransactionState.EMPTY,
        producerId,
        previousProducerId,
        NO_PRODUCER_ID,
        (short) (producerEpoch + 1),
        producerEpoch,
        newTimeoutMs,
        Set.of(),
        -1,
        now,
        clientTransactionVersion);
  }

  /** InitProducerId when the epochs of this producer id are used up: a new producer id. */
  Transaction withNewProducerId(long newProducerId, int newTimeoutMs, long now) {
    return to(
        TransactionState.EMPTY,
        newProducerId,
        producerId,
        NO_PRODUCER_ID,
        (short) 0,
        NO_EPOCH,
        newTimeoutMs,
        Set.of(),
        -1,
        now,
        clientTransactionVersion);
  }

  /** Partitions (or a group's offsets) join the transaction, which starts if it had not. */
  Transaction withPartitions(Set<TopicPartition> added, short version, long now) {
    Set<TopicPartition> all = new HashSet<>(partitions);
    all.addAll(added);
    long start = state == TransactionState.ONGOING ? startTimestampMs : now;
    return to(
        TransactionState.ONGOING,
        producerId,
        previousProducerId,
        nextProducerId,
        producerEpoch,
        lastProducerEpoch,
        timeoutMs,
        all,
        start,
        now,
        version);
  }

  /**
   * EndTxn: the decision, written before any marker. With transaction version 2 the epoch moves on
   * with it; when that uses up the epochs, the transaction continues under {@code nextId}.
   */
  Transaction preparing(boolean commit, short version, long nextId, long now) {
    boolean bump = version >= TV_2;
    return to(
        commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
        producerId,
        previousProducerId,
        nextId,
        bump ? (short) (producerEpoch + 1) : producerEpoch,
        bump ? producerEpoch : lastProducerEpoch,
        timeoutMs,
        partitions,
        startTimestampMs < 0 ? now : startTimestampMs,
        now,
        version);
  }

  /**
   * A transaction aborted by the coordinator (timed out, or a new producer took the id): the epoch
   * moves on so the old producer is fenced, and its markers carry the new epoch.
   */
  Transaction fencedForAbort(long now) {
    return to(
        TransactionState.PREPARE_ABORT,
        producerId,
        previousProducerId,
        NO_PRODUCER_ID,
        producerEpoch == Short.MAX_VALUE ? producerEpoch : (short) (producerEpoch + 1),
        NO_EPOCH,
        timeoutMs,
        partitions,
        startTimestampMs,
        now,
        clientTransactionVersion);
  }

  /** Every marker is written: the transaction is over. */
  Transaction completed(long now) {
    boolean rotate = nextProducerId != NO_PRODUCER_ID;
    return to(
        state == TransactionState.PREPARE_COMMIT
            ? TransactionState.COMPLETE_COMMIT
            : TransactionState.COMPLETE_ABORT,
        rotate ? nextProducerId : producerId,
        rotate ? producerId : previousProducerId,
        NO_PRODUCER_ID,
        rotate ? 0 : producerEpoch,
        rotate ? NO_EPOCH : lastProducerEpoch,
        timeoutMs,
        Set.of(),
        startTimestampMs,
        now,
        clientTransactionVersion);
  }

  /** The transactional id expired: it is removed from the log. */
  Transaction dead(long now) {
    return to(
        TransactionState.DEAD,
        producerId,
        previousProducerId,
        NO_PRODUCER_ID,
        producerEpoch,
        lastProducerEpoch,
        timeoutMs,
        Set.of(),
        startTimestampMs,
        now,
        clientTransactionVersion);
  }

  /** A value read back from the log: what was persisted, without in-memory retry hints. */
  Transaction withLastProducerEpoch(short lastEpoch) {
    return new Transaction(
        transactionalId,
        producerId,
        previousProducerId,
        nextProducerId,
        producerEpoch,
        lastEpoch,
        timeoutMs,
        state,
        partitions,
        startTimestampMs,
        lastUpdateTimestampMs,
        clientTransactionVersion);
  }
}
