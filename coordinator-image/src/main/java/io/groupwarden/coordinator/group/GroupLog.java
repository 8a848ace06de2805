package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.log.CoordinatorLog;
import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The durable history of one group shard: {@link GroupRecord}s in a {@link CoordinatorLog}. Keys
 * and values are Kafka's group-coordinator record schemas ({@link GroupRecordSerde}); a tombstone
 * has no value. Offsets committed in a transaction (TxnOffsetCommit) are written in the producer's
 * transactional batch and count once the transaction coordinator's commit marker follows, as in
 * Kafka's {@code __consumer_offsets}.
 */
final class GroupLog implements FsyncBatcher.Durable, Closeable {
  private final CoordinatorLog log;

  /** Receives the records of a group log while it is opened. */
  interface Replayer {
    /** A record; {@code producerId} is set for an offset committed in a transaction. */
    void replay(long producerId, GroupRecord record);

    /** The end of a producer's transaction. */
    void replayEndTransactionMarker(long producerId, boolean commit);
  }

  private GroupLog(CoordinatorLog log) {
    this.log = log;
  }

  /** Opens a log whose records were all written outside transactions. */
  static GroupLog open(Path dir, Consumer<GroupRecord> replay) throws IOException {
    return open(
        dir,
        new Replayer() {
          @Override
          public void replay(long producerId, GroupRecord record) {
            replay.accept(record);
          }

          @Override
          public void replayEndTransactionMarker(long producerId, boolean commit) {}
        });
  }

  static GroupLog open(Path dir, Replayer replay) throws IOException {
    return new GroupLog(
        CoordinatorLog.open(
            dir,
            new CoordinatorLog.Replayer() {
              @Override
              public void record(long producerId, Record record) throws IOException {
                replay.replay(producerId, decode(dir, record));
              }

              @Override
              public void marker(long producerId, boolean commit) {
                replay.replayEndTransactionMarker(producerId, commit);
              }
            }));
  }

  static SimpleRecord encode(GroupRecord record) {
    return new SimpleRecord(GroupRecordSerde.key(record), GroupRecordSerde.value(record));
  }

  private static List<SimpleRecord> encode(List<GroupRecord> records) {
    List<SimpleRecord> simple = new ArrayList<>(records.size());
    for (GroupRecord record : records) {
      simple.add(encode(record));
    }
    return simple;
  }

  /**
   * A record of an intact batch that cannot be read is not a torn tail: cutting it would lose
   * state, so start-up stops and says why.
   */
  private static GroupRecord decode(Path dir, Record record) throws IOException {
    try {
      return GroupRecordSerde.read(record.key(), record.value());
    } catch (GroupRecordSerde.UnreadableRecordException e) {
      throw new IOException(
          dir
              + " holds a group record this broker cannot read ("
              + e.getMessage()
              + "); it was written by another version of the broker",
          e);
    }
  }

  /** Writes records (not yet durable: ask the {@link FsyncBatcher} for that). */
  void append(List<GroupRecord> records) throws IOException {
    log.append(encode(records));
  }

  /** Writes offsets committed in the producer's transaction. */
  void appendTransactional(long producerId, short producerEpoch, List<GroupRecord> records)
      throws IOException {
    if (producerId == RecordBatch.NO_PRODUCER_ID) {
      append(records);
    } else {
      log.appendTransactional(producerId, producerEpoch, encode(records));
    }
  }

  /** Writes the marker that commits or aborts the producer's offsets. */
  void appendMarker(long producerId, short producerEpoch, boolean commit) throws IOException {
    log.appendMarker(producerId, producerEpoch, commit);
  }

  @Override
  public void sync() throws IOException {
    log.sync();
  }

  boolean needsCompaction() {
    return log.needsCompaction();
  }

  /** Starts a new log file; returns the generation whose snapshot compaction must write. */
  int roll() throws IOException {
    return log.roll();
  }

  /** Writes the state at the end of the previous generation, then drops what it replaces. */
  void writeSnapshot(int snapshotGeneration, List<GroupRecord> state) throws IOException {
    writeSnapshot(snapshotGeneration, state, Map.of());
  }

  /** The same, with the offsets of transactions not yet ended, by producer. */
  void writeSnapshot(
      int snapshotGeneration, List<GroupRecord> state, Map<Long, List<GroupRecord>> pending)
      throws IOException {
    Map<Long, List<SimpleRecord>> encoded = new LinkedHashMap<>();
    pending.forEach((producerId, records) -> encoded.put(producerId, encode(records)));
    log.writeSnapshot(snapshotGeneration, encode(state), encoded);
  }

  @Override
  public void close() throws IOException {
    log.close();
  }

  @Override
  public String toString() {
    return log.toString();
  }
}
