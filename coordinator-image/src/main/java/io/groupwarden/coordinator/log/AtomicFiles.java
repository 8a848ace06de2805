package io.groupwarden.coordinator.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces small state files (indexes, snapshots, counters, descriptors) so that a crash leaves
 * either the old content or the new one, never a torn mix: the content goes to a sibling {@code
 * .tmp} file, is forced to disk, and the temporary file is renamed over the target. Also makes a
 * directory's file creations, renames and deletions durable.
 */
public final class AtomicFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

  private AtomicFiles() {}

  /** Makes file creations, renames and deletions in {@code dir} durable. */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems do not allow opening directories; file data is still synced.
      LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
    }
  }

  /** Writes the buffer's remaining bytes as the new content of {@code target}. */
  static void replace(Path target, ByteBuffer content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        channel.write(content);
      }
      channel.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void replace(Path target, byte[] content) throws IOException {
    replace(target, ByteBuffer.wrap(content));
  }

  static void replace(Path target, String content) throws IOException {
    replace(target, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The number a file written with {@link #replace(Path, String)} holds, or {@code absent} when
   * there is no such file; a file holding something else throws {@link NumberFormatException}.
   */
  static long readLong(Path file, long absent) throws IOException {
    if (!Files.exists(file)) {
      return absent;
    }
    return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
  }
}
