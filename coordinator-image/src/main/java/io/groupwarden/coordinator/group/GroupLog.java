package io.groupwarden.coordinator.group;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable history of one group shard: {@link GroupRecord}s in Kafka record batches (so each
 * append carries a CRC and a torn tail is detected), in files {@code log-N}. Keys and values are
 * Kafka's group-coordinator record schemas ({@link GroupRecordSerde}); a tombstone has no value.
 *
 * <p>Compaction without stopping the shard: the log rolls to {@code log-N+1}, the shard's state as
 * of the end of {@code log-N} is written in the background to {@code snapshot-N+1}, and once that
 * is durable the older files are deleted. Start-up replays the newest complete snapshot and every
 * log from its generation on.
 */
final class GroupLog implements FsyncBatcher.Durable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupLog.class);
  private static final long MIN_COMPACTION_BYTES = 64L << 20;

  private final Path dir;
  private volatile FileRecords active;
  private int generation;
  private long nextOffset;
  private long bytesSinceSnapshot;
  private volatile long snapshotBytes;

  private GroupLog(Path dir) {
    this.dir = dir;
  }

  static GroupLog open(Path dir, Consumer<GroupRecord> replay) throws IOException {
    Files.createDirectories(dir);
    GroupLog log = new GroupLog(dir);
    TreeSet<Integer> snapshots = new TreeSet<>();
    TreeSet<Integer> logs = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.delete(file);
        } else if (name.startsWith("snapshot-")) {
          snapshots.add(Integer.parseInt(name.substring(9, name.length() - 4)));
        } else if (name.startsWith("log-")) {
          logs.add(Integer.parseInt(name.substring(4, name.length() - 4)));
        }
      }
    }
    int base = snapshots.isEmpty() ? 0 : snapshots.last();
    if (!snapshots.isEmpty()) {
      log.snapshotBytes = Files.size(snapshotFile(dir, base));
      read(snapshotFile(dir, base), replay);
    }
    for (int g : logs.tailSet(base)) {
      read(logFile(dir, g), replay);
    }
    for (int g : snapshots.headSet(base)) {
      Files.deleteIfExists(snapshotFile(dir, g));
    }
    for (int g : logs.headSet(base)) {
      Files.deleteIfExists(logFile(dir, g));
    }
    log.generation = logs.tailSet(base).isEmpty() ? base : logs.last();
    log.active = FileRecords.open(logFile(dir, log.generation).toFile());
    log.bytesSinceSnapshot = log.active.sizeInBytes();
    return log;
  }

  private static Path logFile(Path dir, int generation) {
    return dir.resolve("log-" + generation + ".log");
  }

  private static Path snapshotFile(Path dir, int generation) {
    return dir.resolve("snapshot-" + generation + ".log");
  }

  /** Replays the valid batches of a file and cuts off a torn or corrupt tail. */
  private static void read(Path file, Consumer<GroupRecord> replay) throws IOException {
    try (FileRecords records = FileRecords.open(file.toFile())) {
      int valid = 0;
      Iterator<FileChannelRecordBatch> batches = records.batches().iterator();
      try {
        while (batches.hasNext()) {
          FileChannelRecordBatch batch = batches.next();
          if (!batch.isValid()) {
            break;
          }
          for (Record record : batch) {
            replay.accept(decode(file, record));
          }
          valid += batch.sizeInBytes();
        }
      } catch (KafkaException e) {
        LOG.warn("{}: unreadable batch at {}: {}", file, valid, e.getMessage());
      }
      if (valid < records.sizeInBytes()) {
        LOG.warn(
            "{}: cutting {} bytes of torn or corrupt tail", file, records.sizeInBytes() - valid);
        records.truncateTo(valid);
        records.flush();
      }
    }
  }

  static SimpleRecord encode(GroupRecord record) {
    return new SimpleRecord(GroupRecordSerde.key(record), GroupRecordSerde.value(record));
  }

  /**
   * A record of an intact batch that cannot be read is not a torn tail: cutting it would lose
   * state, so start-up stops and says why.
   */
  private static GroupRecord decode(Path file, Record record) throws IOException {
    try {
      return GroupRecordSerde.read(record.key(), record.value());
    } catch (GroupRecordSerde.UnreadableRecordException e) {
      throw new IOException(
          file
              + " holds a group record this broker cannot read ("
              + e.getMessage()
              + "); it was written by another version of the broker",
          e);
    }
  }

  /** Writes records (not yet durable: ask the {@link FsyncBatcher} for that). */
  synchronized void append(List<GroupRecord> records) throws IOException {
    SimpleRecord[] simple = new SimpleRecord[records.size()];
    for (int i = 0; i < simple.length; i++) {
      simple[i] = encode(records.get(i));
    }
    MemoryRecords batch = MemoryRecords.withRecords(nextOffset, Compression.NONE, simple);
    active.append(batch);
    nextOffset += simple.length;
    bytesSinceSnapshot += batch.sizeInBytes();
  }

  @Override
  public void sync() throws IOException {
    try {
      active.flush();
    } catch (ClosedChannelException e) {
      // Rolled meanwhile: rolling forces the old file before closing it.
    }
  }

  synchronized boolean needsCompaction() {
    return bytesSinceSnapshot > Math.max(MIN_COMPACTION_BYTES, 2 * snapshotBytes);
  }

  /** Starts a new log file; returns the generation whose snapshot compaction must write. */
  synchronized int roll() throws IOException {
    FileRecords old = active;
    old.flush();
    generation++;
    active = FileRecords.open(logFile(dir, generation).toFile());
    syncDirectory();
    old.close();
    bytesSinceSnapshot = 0;
    return generation;
  }

  /** Writes the state at the end of the previous generation, then drops what it replaces. */
  void writeSnapshot(int snapshotGeneration, List<GroupRecord> state) throws IOException {
    Path target = snapshotFile(dir, snapshotGeneration);
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    long offset = 0;
    try (FileRecords out = FileRecords.open(tmp.toFile())) {
      List<SimpleRecord> chunk = new ArrayList<>();
      for (GroupRecord record : state) {
        chunk.add(encode(record));
        if (chunk.size() == 1000) {
          out.append(
              MemoryRecords.withRecords(
                  offset, Compression.NONE, chunk.toArray(SimpleRecord[]::new)));
          offset += chunk.size();
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        out.append(
            MemoryRecords.withRecords(
                offset, Compression.NONE, chunk.toArray(SimpleRecord[]::new)));
      }
      out.flush();
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory();
    snapshotBytes = Files.size(target);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        int g;
        if (name.startsWith("snapshot-") && name.endsWith(".log")) {
          g = Integer.parseInt(name.substring(9, name.length() - 4));
        } else if (name.startsWith("log-") && name.endsWith(".log")) {
          g = Integer.parseInt(name.substring(4, name.length() - 4));
        } else {
          continue;
        }
        if (g < snapshotGeneration) {
          Files.deleteIfExists(file);
        }
      }
    }
    LOG.info("{}: compacted to {} records ({} bytes)", dir, state.size(), snapshotBytes);
  }

  void close() throws IOException {
    active.flush();
    active.close();
  }

  private void syncDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot sync directory {}", dir);
    }
  }
}
