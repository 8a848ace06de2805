package io.groupwarden.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.group.offset.OffsetAndMetadata;
import io.groupwarden.coordinator.group.offset.OffsetRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupLogTest {
  @TempDir Path dir;

  static GroupRecord commit(String group, long offset) {
    return OffsetRecords.commit(group, "t", 0, new OffsetAndMetadata(offset, -1, "", 1_000, -1));
  }

  static List<GroupRecord> replay(Path dir) throws Exception {
    List<GroupRecord> replayed = new ArrayList<>();
    GroupLog log = GroupLog.open(dir, replayed::add);
    log.close();
    return replayed;
  }

  /** The test's log directory holding {@code records}, appended as one batch, its log closed. */
  void writeLog(GroupRecord... records) throws IOException {
    GroupLog log = GroupLog.open(dir, r -> {});
    log.append(List.of(records));
    log.close();
  }

  @Test
  void recordsAreReplayedInTheOrderTheyWereAppended() throws Exception {
    GroupLog log = GroupLog.open(dir, r -> {});
    log.append(List.of(commit("a", 1), commit("b", 2)));
    log.append(List.of(GroupRecord.groupTombstone("b")));
    log.sync();
    log.close();
    assertThat(replay(dir))
        .containsExactly(commit("a", 1), commit("b", 2), GroupRecord.groupTombstone("b"));
  }

  @Test
  void compactionReplacesOldFilesWithASnapshotAndKeepsLaterRecords() throws Exception {
    GroupLog log = GroupLog.open(dir, r -> {});
    for (int i = 0; i < 100; i++) {
      log.append(List.of(commit("a", i)));
    }
    int generation = log.roll();
    log.append(List.of(commit("a", 100)));
    log.writeSnapshot(generation, List.of(commit("a", 99)));
    log.sync();
    log.close();

    assertThat(replay(dir)).containsExactly(commit("a", 99), commit("a", 100));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("snapshot-1.log", "log-1.log");
    }
  }

  @Test
  void aCompactionThatDidNotFinishLeavesTheOldFilesInCharge() throws Exception {
    GroupLog log = GroupLog.open(dir, r -> {});
    log.append(List.of(commit("a", 1)));
    log.roll();
    log.append(List.of(commit("a", 2)));
    log.close();
    Files.writeString(dir.resolve("snapshot-1.log.tmp"), "half written");

    assertThat(replay(dir)).containsExactly(commit("a", 1), commit("a", 2));
  }

  @Test
  void aTornTailOfTheLogIsCutOff() throws Exception {
    writeLog(commit("a", 1));
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve("log-0.log"), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 90, 1, 2, 3}));
    }
    assertThat(replay(dir)).containsExactly(commit("a", 1));
    GroupLog reopened = GroupLog.open(dir, r -> {});
    reopened.append(List.of(commit("a", 2)));
    reopened.close();
    assertThat(replay(dir)).containsExactly(commit("a", 1), commit("a", 2));
  }

  @Test
  void offsetsWithAndWithoutAnExpiryKeepEveryFieldTheirVersionHas() throws Exception {
    GroupRecord withEpoch =
        OffsetRecords.commit("a", "t", 3, new OffsetAndMetadata(42, 7, "meta", 1_000, -1));
    GroupRecord withExpiry =
        OffsetRecords.commit("a", "t", 4, new OffsetAndMetadata(43, -1, "", 1_000, 9_000));
    writeLog(withEpoch, withExpiry);
    assertThat(replay(dir)).containsExactly(withEpoch, withExpiry);
  }

  @Test
  void anIntactRecordThatCannotBeReadStopsTheStartInsteadOfBeingCut() throws Exception {
    writeLog(commit("a", 1));
    // A valid batch whose record is JSON, as the pre-release format wrote.
    try (org.apache.kafka.common.record.internal.FileRecords file =
        org.apache.kafka.common.record.internal.FileRecords.open(
            dir.resolve("log-0.log").toFile())) {
      file.append(
          org.apache.kafka.common.record.internal.MemoryRecords.withRecords(
              1,
              org.apache.kafka.common.compress.Compression.NONE,
              new org.apache.kafka.common.record.internal.SimpleRecord(
                  "{\"type\":\"offset\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    long size = Files.size(dir.resolve("log-0.log"));

    assertThatThrownBy(() -> replay(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read");
    assertThat(Files.size(dir.resolve("log-0.log"))).isEqualTo(size);
  }
}
