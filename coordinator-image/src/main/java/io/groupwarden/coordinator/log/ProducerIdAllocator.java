package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Hands out producer ids for idempotent producers. Ids are reserved on disk in blocks, so an id is
 * never given twice, even across a crash, at the cost of one fsync per thousand producers.
 */
public final class ProducerIdAllocator {
  private static final int BLOCK = 1000;
  private final Path file;
  private long next;
  private long reservedUpTo;

  public ProducerIdAllocator(Path file) throws IOException {
    this.file = file;
    this.next = AtomicFiles.readLong(file, 0);
    this.reservedUpTo = next;
  }

  public synchronized long nextProducerId() {
    if (next >= reservedUpTo) {
      reserve(next + BLOCK);
    }
    return next++;
  }

  private void reserve(long upTo) {
    try {
      AtomicFiles.replace(file, Long.toString(upTo));
      reservedUpTo = upTo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
