package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The aborted transactions whose abort marker is in one segment ({@code <base>.txnindex}), so a
 * read_committed fetch can tell the consumer which records to drop without reading the log. Entries
 * are Kafka's layout: version (2), producer id, first offset, last offset, last stable offset (8
 * each). The file of a rolled segment is written when it is rolled; the active segment's entries
 * are rebuilt by the scan that recovers it, so the index never disagrees with the log.
 */
final class TransactionIndex {
  static final String SUFFIX = ".txnindex";
  private static final int ENTRY_BYTES = 34;
  private static final short VERSION = 0;

  private final Path file;
  private final List<AbortedTxn> entries = new CopyOnWriteArrayList<>();

  TransactionIndex(Path dir, long baseOffset) {
    this.file = file(dir, baseOffset);
  }

  static Path file(Path dir, long baseOffset) {
    return dir.resolve(String.format("%020d%s", baseOffset, SUFFIX));
  }

  void add(AbortedTxn aborted) {
    entries.add(aborted);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  List<AbortedTxn> entries() {
    return entries;
  }

  /**
   * Adds the entries overlapping {@code [from, to)} to {@code out}; true when no later segment can
   * hold one (an entry here was stable at or past {@code to}).
   */
  boolean collect(long from, long to, List<AbortedTxn> out) {
    for (AbortedTxn entry : entries) {
      if (entry.overlaps(from, to)) {
        out.add(entry);
      }
      if (entry.lastStableOffset() >= to) {
        return true;
      }
    }
    return false;
  }

  /** Writes the entries to the index file (a rolled segment's index never changes again). */
  void write() throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(entries.size() * ENTRY_BYTES);
    for (AbortedTxn entry : entries) {
      buffer
          .putShort(VERSION)
          .putLong(entry.producerId())
          .putLong(entry.firstOffset())
          .putLong(entry.lastOffset())
          .putLong(entry.lastStableOffset());
    }
    buffer.flip();
    AtomicFiles.replace(file, buffer);
  }

  /** Reads the index file; false when there is none or it is damaged (then it is rebuilt). */
  boolean read() throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length % ENTRY_BYTES != 0) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    List<AbortedTxn> read = new ArrayList<>();
    while (buffer.hasRemaining()) {
      if (buffer.getShort() != VERSION) {
        return false;
      }
      read.add(
          new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
    }
    entries.clear();
    entries.addAll(read);
    return true;
  }

  void clear() {
    entries.clear();
  }

  void delete() throws IOException {
    Files.deleteIfExists(file);
  }
}
