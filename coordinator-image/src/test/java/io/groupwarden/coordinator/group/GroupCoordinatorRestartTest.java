package io.groupwarden.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group coordinator's data directory across restarts: what comes back, and what is refused. */
class GroupCoordinatorRestartTest {
  @TempDir Path dir;

  GroupCoordinator start(FsyncBatcher fsync) throws IOException {
    GroupCoordinator coordinator =
        GroupCoordinator.startLoading(
            dir,
            2,
            GroupConfig.defaults(),
            60_000,
            System::currentTimeMillis,
            GroupMetrics.NONE,
            fsync,
            new FakeTopics());
    coordinator.awaitLoaded();
    return coordinator;
  }

  @Test
  void committedOffsetsComeBackAfterARestart() throws Exception {
    try (FsyncBatcher fsync = new FsyncBatcher()) {
      try (GroupCoordinator coordinator = start(fsync)) {
        coordinator
            .commitOffsets(
                new Client("admin", "/127.0.0.1", (short) 9),
                OffsetCommits.ofNoMember("g", "t", 2, 99))
            .get();
      }
      try (GroupCoordinator coordinator = start(fsync)) {
        assertThat(coordinator.committedOffsets("g").get())
            .hasSize(1)
            .allSatisfy((tp, om) -> assertThat(om.offset()).isEqualTo(99));
        assertThat(coordinator.view("g").get()).isPresent();
      }
    }
  }

  @Test
  void groupLogsOfThePreReleaseJsonFormatAreRefusedWithAReason() throws Exception {
    Files.writeString(dir.resolve("shards"), "2", StandardCharsets.UTF_8);
    try (FsyncBatcher fsync = new FsyncBatcher()) {
      assertThatThrownBy(() -> start(fsync))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("earlier pre-release broker");
    }
    assertThat(dir.resolve("format")).doesNotExist();
  }
}
