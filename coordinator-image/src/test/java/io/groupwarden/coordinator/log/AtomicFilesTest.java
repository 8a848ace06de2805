package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State files are replaced whole through a temporary sibling that does not stay behind. */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheContentAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("index");
    AtomicFiles.replace(file, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
    AtomicFiles.replace(file, ByteBuffer.wrap(new byte[] {9}));

    assertThat(Files.readAllBytes(file)).containsExactly(9);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void writesOnlyTheBuffersRemainingBytes() throws IOException {
    Path file = dir.resolve("snapshot");
    ByteBuffer buffer = ByteBuffer.allocate(16).putInt(7).putInt(8);
    buffer.flip();
    AtomicFiles.replace(file, buffer);

    assertThat(Files.size(file)).isEqualTo(8);
    assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).getInt(4)).isEqualTo(8);
  }

  @Test
  void readsBackTheNumberItWrote() throws IOException {
    Path file = dir.resolve("log-start-offset");
    assertThat(AtomicFiles.readLong(file, -1)).isEqualTo(-1);

    AtomicFiles.replace(file, Long.toString(1_234_567_890_123L));

    assertThat(AtomicFiles.readLong(file, -1)).isEqualTo(1_234_567_890_123L);
  }

  @Test
  void aFileHoldingNoNumberIsAnError() throws IOException {
    Path file = dir.resolve("checkpoint");
    AtomicFiles.replace(file, "torn");

    assertThatThrownBy(() -> AtomicFiles.readLong(file, 0))
        .isInstanceOf(NumberFormatException.class);
  }
}
