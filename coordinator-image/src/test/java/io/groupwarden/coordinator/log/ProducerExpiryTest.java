package io.groupwarden.coordinator.log;

import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.CONFIG;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.PID;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.TP;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.records;
import static io.groupwarden.coordinator.log.PartitionLogTransactionTest.txn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition forgets a producer that stopped writing to it once the expiration has passed, by the
 * broker's clock, unless a transaction of the producer's is open there.
 */
class ProducerExpiryTest {
  private static final long EXPIRATION = 60_000;

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_000_000);

  private PartitionLog open() throws IOException {
    return PartitionLog.open(TP, dir, () -> CONFIG, now::get, new SegmentFiles(2));
  }

  private static MemoryRecords idempotent(long producerId, int sequence, String... values) {
    return MemoryRecords.withIdempotentRecords(
        Compression.NONE, producerId, (short) 0, sequence, records(values));
  }

  private static List<Long> producerIds(PartitionLog log) {
    return log.producerStates().stream().map(ProducerDescription::producerId).sorted().toList();
  }

  /** From now, the log's one producer stays until the expiration has passed, and goes then. */
  private void assertTheOnlyProducerGoesExactlyAtTheExpiration(PartitionLog log) {
    now.addAndGet(EXPIRATION - 1);
    assertThat(log.expireProducers(EXPIRATION)).isZero();
    now.incrementAndGet();
    assertThat(log.expireProducers(EXPIRATION)).isEqualTo(1);
    assertThat(log.producerStates()).isEmpty();
  }

  @Test
  void anIdleProducerIsForgottenAfterTheExpirationAndMayWriteAgainAsANewOne() throws Exception {
    PartitionLog log = open();
    assertThat(log.append(idempotent(1, 0, "a")).baseOffset()).isZero();
    now.addAndGet(EXPIRATION / 2);
    assertThat(log.append(idempotent(2, 0, "b")).baseOffset()).isEqualTo(1);

    now.addAndGet(EXPIRATION / 2 - 1);
    assertThat(log.expireProducers(EXPIRATION)).isZero();
    // while it is known, a retry of producer 1's batch is answered with the first write's offset
    assertThat(log.append(idempotent(1, 0, "a")).baseOffset()).isZero();
    assertThat(log.logEndOffset()).isEqualTo(2);

    now.incrementAndGet(); // producer 1's last write is now EXPIRATION ago, producer 2's half that
    assertThat(log.expireProducers(EXPIRATION)).isEqualTo(1);
    assertThat(producerIds(log)).containsExactly(2L);

    // a forgotten producer that writes again is taken as a new one, whatever its sequence
    PartitionLog.AppendResult again = log.append(idempotent(1, 7, "c"));
    assertThat(again.error()).isEqualTo(Errors.NONE);
    assertThat(again.baseOffset()).isEqualTo(2);
    assertThat(producerIds(log)).containsExactly(1L, 2L);
    assertThat(log.producerStates())
        .filteredOn(state -> state.producerId() == 1)
        .singleElement()
        .satisfies(state -> assertThat(state.lastSequence()).isEqualTo(7));

    now.addAndGet(EXPIRATION);
    assertThat(log.expireProducers(EXPIRATION)).isEqualTo(2);
    assertThat(log.producerStates()).isEmpty();
    log.close();
  }

  @Test
  void aProducerWithAnOpenTransactionIsKeptHoweverLongItIsIdle() throws Exception {
    PartitionLog log = open();
    assertThat(log.append(txn((short) 0, 0, "t"), true).error()).isEqualTo(Errors.NONE);
    log.sync();
    now.addAndGet(10 * EXPIRATION);
    assertThat(log.expireProducers(EXPIRATION)).isZero();
    assertThat(producerIds(log)).containsExactly(PID);
    assertThat(log.lastStableOffset()).isZero();

    // the marker is its last write: the expiration counts from there
    log.appendMarker(PID, (short) 0, 0, true);
    assertTheOnlyProducerGoesExactlyAtTheExpiration(log);
    log.close();
  }

  @Test
  void aReopenedLogCountsItsProducersFromTheTimeItWasLoaded() throws Exception {
    PartitionLog log = open();
    log.append(idempotent(1, 0, "a"));
    log.sync();
    log.close();

    now.addAndGet(10 * EXPIRATION); // down for longer than the expiration
    PartitionLog reopened = open();
    assertThat(producerIds(reopened)).containsExactly(1L);
    assertTheOnlyProducerGoesExactlyAtTheExpiration(reopened);
    reopened.close();
  }
}
