package io.groupwarden.coordinator.txn;

import io.groupwarden.coordinator.runtime.EnumKeys;
import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a transactional id, with Kafka's ids (as in its transaction log) and names (as
 * DescribeTransactions and ListTransactions show them), and the states each may follow.
 */
public enum TransactionState {
  EMPTY(0, "Empty"),
  ONGOING(1, "Ongoing"),
  PREPARE_COMMIT(2, "PrepareCommit"),
  PREPARE_ABORT(3, "PrepareAbort"),
  COMPLETE_COMMIT(4, "CompleteCommit"),
  COMPLETE_ABORT(5, "CompleteAbort"),
  DEAD(6, "Dead"),
  PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

  private final byte id;
  private final String displayName;

  TransactionState(int id, String displayName) {
    this.id = (byte) id;
    this.displayName = displayName;
  }

  public byte id() {
    return id;
  }

  /** The name Kafka's APIs and tools use ("Ongoing", "CompleteCommit", ...). */
  public String displayName() {
    return displayName;
  }

  public static TransactionState fromId(byte id) {
    return EnumKeys.byId(TransactionState.class, TransactionState::id, id, "transaction state id");
  }

  /** The state a ListTransactions filter names, case-insensitively; null when there is none. */
  public static TransactionState fromDisplayName(String name) {
    return EnumKeys.byNameIgnoringCase(TransactionState.class, TransactionState::displayName, name);
  }

  /** A transaction is open from its first partition until its markers are written. */
  public boolean isOpen() {
    return this == ONGOING || this == PREPARE_COMMIT || this == PREPARE_ABORT;
  }

  /** The states this one may follow. */
  Set<TransactionState> validPrevious() {
    return switch (this) {
      case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
      case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
      case PREPARE_COMMIT -> EnumSet.of(ONGOING);
      // aborting an empty or completed transaction bumps the epoch (transaction version 2)
      case PREPARE_ABORT -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
      case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
      case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
      case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
      case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
    };
  }

  /** True when a transaction in {@code previous} may move to this state. */
  public boolean mayFollow(TransactionState previous) {
    return validPrevious().contains(previous);
  }
}
