package io.groupwarden.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The transaction coordinator's handlers as pure logic, with a clock the test moves. */
class TransactionCoordinatorShardTest {
  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final TopicPartition P1 = new TopicPartition("t", 1);
  static final short TV2 = 2;
  static final short TV0 = 0;

  final AtomicLong clock = new AtomicLong(1_000);
  final AtomicLong producerIds = new AtomicLong(100);
  final TransactionCoordinatorShard shard =
      new TransactionCoordinatorShard(
          new TransactionConfig(60_000, 1_000, 3_600_000, TV2),
          clock::get,
          producerIds::getAndIncrement);

  /** Applies what a handler decided, as the runtime does once it is durable. */
  <T> T persist(TxnResult<T> result) {
    result.records().forEach(shard::replay);
    return result.response();
  }

  /**
   * Asserts that {@code abort} aborts app's transaction at epoch 1, then persists it and its
   * markers.
   */
  void abortedAtTheNextEpoch(TxnResult<?> abort) {
    assertThat(abort.markersFor().state()).isEqualTo(TransactionState.PREPARE_ABORT);
    assertThat(abort.markersFor().producerEpoch()).isEqualTo((short) 1);
    persist(abort);
    completeMarkers("app");
  }

  /** Ends a prepared transaction as the runtime does once its markers are written. */
  void completeMarkers(String id) {
    persist(shard.complete(id));
  }

  InitProducerIdResponseData init(String id) {
    return persist(shard.initProducerId(id, 10_000, -1, (short) -1));
  }

  @Test
  void eachInitProducerIdBumpsTheEpochOfTheSameProducerId() {
    InitProducerIdResponseData first = init("app");
    InitProducerIdResponseData second = init("app");
    assertThat(first.errorCode()).isZero();
    assertThat(first.producerEpoch()).isZero();
    assertThat(second.producerId()).isEqualTo(first.producerId());
    assertThat(second.producerEpoch()).isEqualTo((short) 1);
  }

  @Test
  void aTimeoutAboveTheMaximumIsRefused() {
    InitProducerIdResponseData response =
        persist(shard.initProducerId("app", 60_001, -1, (short) -1));
    assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
    assertThat(shard.get("app")).isNull();
  }

  @Test
  void anOlderEpochOrAnotherProducerIdCannotAddPartitions() {
    InitProducerIdResponseData producer = init("app");
    init("app");
    assertThat(
            persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2)))
        .isEqualTo(Errors.PRODUCER_FENCED);
    assertThat(persist(shard.addPartitions("app", 999, (short) 1, Set.of(P0), TV2)))
        .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    assertThat(persist(shard.addPartitions("unknown", 1, (short) 0, Set.of(P0), TV2)))
        .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
  }

  @Test
  void addingPartitionsStartsTheTransactionAndAddingThemAgainWritesNothing() {
    InitProducerIdResponseData producer = init("app");
    clock.set(5_000);
    TxnResult<Errors> added =
        shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2);
    assertThat(added.records()).hasSize(1);
    persist(added);
    Transaction txn = shard.get("app");
    assertThat(txn.state()).isEqualTo(TransactionState.ONGOING);
    assertThat(txn.startTimestampMs()).isEqualTo(5_000);
    assertThat(
            shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2).records())
        .isEmpty();
    persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P1), TV2));
    assertThat(shard.get("app").partitions()).containsExactlyInAnyOrder(P0, P1);
    assertThat(shard.get("app").startTimestampMs()).isEqualTo(5_000);
  }

  @Test
  void withProtocolVersionTwoEndTxnAnswersTheNextEpochAndAnsweringARetryTheSame() {
    InitProducerIdResponseData producer = init("app");
    long id = producer.producerId();
    persist(shard.addPartitions("app", id, (short) 0, Set.of(P0), TV2));
    TxnResult<EndTxnResponseData> ending = shard.endTxn("app", id, (short) 0, true, TV2);
    assertThat(ending.markersFor().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
    assertThat(ending.markersFor().producerEpoch())
        .as("markers carry the next epoch")
        .isEqualTo((short) 1);
    EndTxnResponseData response = persist(ending);
    assertThat(response.producerEpoch()).isEqualTo((short) 1);
    completeMarkers("app");
    assertThat(shard.get("app").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);

    EndTxnResponseData retried = persist(shard.endTxn("app", id, (short) 0, true, TV2));
    assertThat(retried.errorCode()).isZero();
    assertThat(retried.producerEpoch()).isEqualTo((short) 1);
    assertThat(persist(shard.addPartitions("app", id, (short) 1, Set.of(P0), TV2)))
        .isEqualTo(Errors.NONE);
  }

  @Test
  void withProtocolVersionZeroTheEpochStaysAcrossTransactions() {
    InitProducerIdResponseData producer = init("app");
    long id = producer.producerId();
    persist(shard.addPartitions("app", id, (short) 0, Set.of(P0), TV0));
    EndTxnResponseData response = persist(shard.endTxn("app", id, (short) 0, false, TV0));
    assertThat(response.producerEpoch()).isZero();
    completeMarkers("app");
    assertThat(shard.get("app").state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    assertThat(persist(shard.addPartitions("app", id, (short) 0, Set.of(P1), TV0)))
        .isEqualTo(Errors.NONE);
  }

  @Test
  void abortingWithNothingAddedMovesTheEpochOnWithProtocolVersionTwo() {
    InitProducerIdResponseData producer = init("app");
    TxnResult<EndTxnResponseData> abort =
        shard.endTxn("app", producer.producerId(), (short) 0, false, TV2);
    assertThat(abort.markersFor().partitions()).isEmpty();
    assertThat(persist(abort).producerEpoch()).isEqualTo((short) 1);
    completeMarkers("app");
    EndTxnResponseData commitNothing =
        persist(shard.endTxn("app", producer.producerId(), (short) 1, true, TV2));
    assertThat(Errors.forCode(commitNothing.errorCode())).isEqualTo(Errors.INVALID_TXN_STATE);
  }

  @Test
  void whenTheEpochsRunOutTheTransactionContinuesUnderANewProducerId() {
    long id = init("app").producerId();
    Transaction worn =
        new Transaction(
            "app",
            id,
            -1,
            -1,
            (short) (Short.MAX_VALUE - 1),
            (short) -1,
            10_000,
            TransactionState.ONGOING,
            Set.of(P0),
            1_000,
            1_000,
            TV2);
    shard.replay(worn);
    TxnResult<EndTxnResponseData> ending =
        shard.endTxn("app", id, (short) (Short.MAX_VALUE - 1), true, TV2);
    EndTxnResponseData response = persist(ending);
    assertThat(response.producerId()).isNotEqualTo(id);
    assertThat(response.producerEpoch()).isZero();
    assertThat(ending.markersFor().producerId())
        .as("the markers close the old producer id's records")
        .isEqualTo(id);
    completeMarkers("app");
    assertThat(shard.get("app").producerId()).isEqualTo(response.producerId());
    assertThat(shard.get("app").previousProducerId()).isEqualTo(id);
    assertThat(
            persist(shard.endTxn("app", id, (short) (Short.MAX_VALUE - 1), true, TV2)).producerId())
        .as("a retry across the rotation is answered as the first was")
        .isEqualTo(response.producerId());
  }

  @Test
  void aNewProducerAbortsTheTransactionItsPredecessorLeftOpenFirst() {
    InitProducerIdResponseData old = init("app");
    persist(shard.addPartitions("app", old.producerId(), (short) 0, Set.of(P0), TV2));
    TxnResult<InitProducerIdResponseData> takeover =
        shard.initProducerId("app", 10_000, -1, (short) -1);
    assertThat(takeover.retryAfterCompletion()).isTrue();
    assertThat(takeover.markersFor().partitions()).containsExactly(P0);
    abortedAtTheNextEpoch(takeover);
    InitProducerIdResponseData successor = init("app");
    assertThat(successor.producerEpoch()).isEqualTo((short) 2);
  }

  @Test
  void aTransactionOpenPastItsTimeoutIsAbortedWithTheNextEpoch() {
    InitProducerIdResponseData producer = init("app");
    persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2));
    clock.addAndGet(10_000);
    assertThat(shard.timedOut()).isEmpty();
    clock.addAndGet(1);
    assertThat(shard.timedOut()).containsExactly("app");
    TxnResult<Void> abort = shard.abortTimedOut("app");
    abortedAtTheNextEpoch(abort);
    assertThat(
            persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2)))
        .as("the old producer is fenced")
        .isEqualTo(Errors.PRODUCER_FENCED);
    EndTxnResponseData abortRetry =
        persist(shard.endTxn("app", producer.producerId(), (short) 0, false, TV2));
    assertThat(abortRetry.errorCode())
        .as("the producer's own abort after the timeout is answered as done")
        .isZero();
  }

  @Test
  void afterACrashAnOpenTransactionIsAbortedAndItsProducerFenced() {
    InitProducerIdResponseData producer = init("app");
    persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2));
    TxnResult<Void> abort = shard.abortAfterCrash("app");
    assertThat(abort.markersFor().partitions()).containsExactly(P0);
    abortedAtTheNextEpoch(abort);
    assertThat(
            persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0), TV2)))
        .as("the producer of the aborted transaction is fenced")
        .isEqualTo(Errors.PRODUCER_FENCED);
    assertThat(shard.abortAfterCrash("app").markersFor())
        .as("nothing open, nothing to abort")
        .isNull();
  }

  @Test
  void transactionalIdsUnusedPastTheirExpiryAreRemoved() {
    init("app");
    clock.addAndGet(3_600_001);
    assertThat(shard.expiredTransactionalIds()).containsExactly("app");
    persist(shard.expire("app"));
    assertThat(shard.get("app")).isNull();
  }

  @Test
  void transactionsSurviveTheirLogRecordsKeyAndValue() {
    InitProducerIdResponseData producer = init("app");
    persist(shard.addPartitions("app", producer.producerId(), (short) 0, Set.of(P0, P1), TV2));
    Transaction txn = shard.get("app");
    Transaction read =
        TransactionRecords.readValue(
            TransactionRecords.readKey(ByteBuffer.wrap(TransactionRecords.key("app"))),
            ByteBuffer.wrap(TransactionRecords.value(txn)));
    assertThat(read).isEqualTo(txn.withLastProducerEpoch((short) -1));
    assertThat(TransactionRecords.value(Transaction.created("gone", 1, 1000, 0).dead(1)))
        .as("a removed id is a tombstone")
        .isNull();
  }

  @Test
  void listingFiltersByStateProducerAndPattern() {
    long a = init("orders-1").producerId();
    init("payments-1");
    persist(shard.addPartitions("orders-1", a, (short) 0, Set.of(P0), TV2));
    assertThat(shard.list(List.of("Ongoing"), List.of(), -1, null).transactionStates())
        .extracting(t -> t.transactionalId())
        .containsExactly("orders-1");
    assertThat(shard.list(List.of(), List.of(), -1, "pay.*").transactionStates())
        .extracting(t -> t.transactionalId())
        .containsExactly("payments-1");
    assertThat(shard.list(List.of("Bogus"), List.of(), -1, null).unknownStateFilters())
        .containsExactly("Bogus");
    assertThat(shard.describe("orders-1").transactionState()).isEqualTo("Ongoing");
    assertThat(Errors.forCode(shard.describe("nobody").errorCode()))
        .isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND);
  }
}
