package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The producer state of a partition as of a segment's base offset, written when the log rolls to
 * that segment ({@code <base>.snapshot}). On start-up the newest snapshot is read and only the
 * segments after it are scanned, so producers and open transactions that began in older segments
 * are known without reading the whole log.
 *
 * <p>Layout: version (2), producer count (4), then per producer id (8), epoch (2), coordinator
 * epoch (4), last timestamp (8), first offset of its open transaction or -1 (8), batch count (1)
 * and per remembered batch first sequence (4), last sequence (4), base offset (8); a CRC-32C of all
 * that ends the file.
 */
final class ProducerStateSnapshot {
  static final String SUFFIX = ".snapshot";
  private static final short VERSION = 1;

  private ProducerStateSnapshot() {}

  static Path file(Path dir, long offset) {
    return dir.resolve(String.format("%020d%s", offset, SUFFIX));
  }

  /** Removes the snapshot at {@code offset}, if there is one. */
  static void delete(Path dir, long offset) throws IOException {
    Files.deleteIfExists(file(dir, offset));
  }

  static void write(Path dir, long offset, List<ProducerStateTable.Producer> producers)
      throws IOException {
    int size = 2 + 4 + 4;
    for (ProducerStateTable.Producer producer : producers) {
      size += 8 + 2 + 4 + 8 + 8 + 1 + producer.recent.size() * 16;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.putShort(VERSION).putInt(producers.size());
    for (ProducerStateTable.Producer producer : producers) {
      buffer
          .putLong(producer.producerId)
          .putShort(producer.epoch)
          .putInt(producer.coordinatorEpoch)
          .putLong(producer.lastTimestamp)
          .putLong(producer.txnFirstOffset)
          .put((byte) producer.recent.size());
      for (ProducerStateTable.WrittenBatch batch : producer.recent) {
        buffer
            .putInt(batch.firstSequence())
            .putInt(batch.lastSequence())
            .putLong(batch.baseOffset());
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, buffer.position());
    buffer.putInt((int) crc.getValue());
    buffer.flip();
    AtomicFiles.replace(file(dir, offset), buffer);
  }

  /** The producers a snapshot holds, or null when it is damaged (then the log is scanned). */
  static List<ProducerStateTable.Producer> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < 10) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt(bytes.length - 4) != (int) crc.getValue() || buffer.getShort() != VERSION) {
      return null;
    }
    int count = buffer.getInt();
    List<ProducerStateTable.Producer> producers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ProducerStateTable.Producer producer = new ProducerStateTable.Producer(buffer.getLong());
      producer.epoch = buffer.getShort();
      producer.coordinatorEpoch = buffer.getInt();
      producer.lastTimestamp = buffer.getLong();
      producer.txnFirstOffset = buffer.getLong();
      int batches = buffer.get();
      for (int b = 0; b < batches; b++) {
        producer.recent.addLast(
            new ProducerStateTable.WrittenBatch(
                buffer.getInt(), buffer.getInt(), buffer.getLong()));
      }
      producers.add(producer);
    }
    return producers;
  }
}
