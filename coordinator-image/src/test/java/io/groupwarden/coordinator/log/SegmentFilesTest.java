package io.groupwarden.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment files are open only while used and at most a bound of them idle: many partitions with
 * several segments each are written and read back in full while the process's descriptors (counted
 * in {@code /proc/self/fd}) stay within that bound.
 */
class SegmentFilesTest {
  static final int BOUND = 20;

  @TempDir Path dir;

  static int openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    }
  }

  @Test
  void readingEveryPartitionKeepsDescriptorsWithinTheBound() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc (Linux)");
    int before = openDescriptors();
    SegmentFiles files = new SegmentFiles(BOUND);
    // 1 KiB segments: each partition below rolls into five or more.
    TopicConfig small = new TopicConfig(-1, -1, 1024, Long.MAX_VALUE, 1 << 20);
    int topics = 30;
    int partitions = 4;
    int peak = before;
    try (TopicStore store = TopicStore.open(dir, small, () -> 5000L, files)) {
      for (int t = 0; t < topics; t++) {
        store.create("t" + t, partitions, Map.of(), false);
        peak = Math.max(peak, openDescriptors());
      }
      int segments = 0;
      for (int t = 0; t < topics; t++) {
        for (PartitionLog log : store.get("t" + t).partitions()) {
          for (int i = 0; i < 12; i++) {
            String value = log.partition() + "-" + i + "-" + "x".repeat(300);
            assertThat(log.append(PartitionLogTest.batch(value)).error()).isEqualTo(Errors.NONE);
          }
          log.sync();
          segments += segmentFiles(log);
          peak = Math.max(peak, openDescriptors());
        }
      }
      assertThat(segments)
          .as("segment files on disk")
          .isGreaterThanOrEqualTo(5 * topics * partitions);

      for (int t = 0; t < topics; t++) {
        for (PartitionLog log : store.get("t" + t).partitions()) {
          List<String> values = PartitionLogTest.readAll(log);
          assertThat(values).hasSize(12);
          assertThat(values.get(11)).startsWith(log.partition() + "-11-");
          peak = Math.max(peak, openDescriptors());
        }
      }
      assertThat(files.openCount()).isLessThanOrEqualTo(BOUND);
    }
    // A few descriptors come and go meanwhile (directory syncs, the JIT); the segments' files are
    // what could have grown without bound: over 600 of them.
    assertThat(peak - before)
        .as("descriptors open beyond the start")
        .isLessThanOrEqualTo(BOUND + 8);
    assertThat(openDescriptors() - before).isLessThanOrEqualTo(4);
  }

  static int segmentFiles(PartitionLog log) throws IOException {
    Path partitionDir = log.directory();
    try (Stream<Path> files = Files.list(partitionDir)) {
      return (int) files.filter(f -> f.toString().endsWith(".log")).count();
    }
  }

  @Test
  void aFileInUseIsNotClosedAndTheLeastRecentlyUsedIdleOneIs() throws Exception {
    SegmentFiles files = new SegmentFiles(2);
    List<LogSegment> segments = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      segments.add(LogSegment.create(dir, i * 100L, files, 0));
    }
    files.use(segments.get(0), r -> null);
    files.use(segments.get(1), r -> null);
    files.use(segments.get(0), r -> null); // 1 is now the least recently used
    files.use(
        segments.get(2),
        inUse -> {
          // opening 2 closed 1, not 0
          assertThat(files.openCount()).isEqualTo(2);
          files.use(segments.get(1), r -> null); // 0 is closed for it; 2 stays open: in use
          assertThat(inUse.channel().isOpen()).isTrue();
          return null;
        });
    assertThat(files.openCount()).isEqualTo(2);
    assertThat(files.opens()).isEqualTo(4);
  }

  @Test
  void aDeletedSegmentIsNeverOpenedAgain() throws Exception {
    SegmentFiles files = new SegmentFiles(4);
    LogSegment segment = LogSegment.create(dir, 0, files, 0);
    files.use(
        segment,
        inUse -> {
          segment.delete();
          // the reader that holds it keeps its descriptor until it is done
          assertThat(inUse.channel().isOpen()).isTrue();
          return null;
        });
    assertThat(files.openCount()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> files.use(segment, r -> null))
        .isInstanceOf(SegmentFiles.SegmentDeletedException.class);
    assertThat(Files.exists(LogSegment.logFile(dir, 0))).isFalse();
  }
}
