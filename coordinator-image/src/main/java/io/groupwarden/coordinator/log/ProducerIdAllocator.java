package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
    this.next =
        Files.exists(file)
            ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim())
            : 0;
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
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Long.toString(upTo), StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      reservedUpTo = upTo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
