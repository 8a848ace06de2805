package io.groupwarden.coordinator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogCompactionTest {
  private final FsyncBatcher fsync = new FsyncBatcher();
  // The owning thread and the background, run by hand so each step is observable.
  private final ManualExecutor owner = new ManualExecutor();
  private final ManualExecutor background = new ManualExecutor();
  private final FakeLog log = new FakeLog();
  private final LogCompaction<String> compaction =
      new LogCompaction<>("test", owner, background, fsync);

  private void compact() {
    compaction.maybeCompact(
        log.file, log::needsCompaction, log::roll, log::capture, log::writeSnapshot);
  }

  @AfterEach
  void close() {
    fsync.close();
  }

  @Test
  void aLogThatNeedsNoCompactionIsLeftAlone() {
    compact();

    assertThat(log.rolls).isZero();
  }

  @Test
  void rollsThenSnapshotsTheStateCapturedOnTheOwnerAfterTheOldFileIsDurable() {
    log.needed = true;
    log.state = "state-1";

    compact();
    assertThat(log.rolls).isEqualTo(1);

    owner.awaitAndRunOne();
    assertThat(log.syncs).hasSize(1);
    assertThat(log.captures).isEqualTo(1);
    assertThat(log.snapshots).isEmpty();

    background.awaitAndRunOne();
    assertThat(log.snapshots).containsExactly("1:state-1");
  }

  @Test
  void oneCompactionAtATime() {
    log.needed = true;
    compact();
    compact();
    assertThat(log.rolls).isEqualTo(1);

    owner.awaitAndRunOne();
    background.awaitAndRunOne();
    compact();
    assertThat(log.rolls).as("still running until the owner hears it finished").isEqualTo(1);

    owner.awaitAndRunOne();
    compact();
    assertThat(log.rolls).isEqualTo(2);
  }

  @Test
  void aFailedSnapshotOrRollLetsTheNextCompactionRun() {
    log.needed = true;
    log.failSnapshot = true;
    compact();
    owner.awaitAndRunOne();
    background.awaitAndRunOne();
    owner.awaitAndRunOne();
    assertThat(log.snapshots).isEmpty();

    log.failSnapshot = false;
    log.failRoll = true;
    compact();
    assertThat(log.rolls).isEqualTo(1);

    log.failRoll = false;
    compact();
    assertThat(log.rolls).isEqualTo(2);
  }

  private static final class FakeLog {
    volatile boolean needed;
    volatile boolean failRoll;
    volatile boolean failSnapshot;
    String state = "state";
    int rolls;
    int captures;
    final List<String> snapshots = new ArrayList<>();
    final List<Thread> syncs = new CopyOnWriteArrayList<>();

    final FsyncBatcher.Durable file = () -> syncs.add(Thread.currentThread());

    boolean needsCompaction() {
      return needed;
    }

    int roll() throws IOException {
      if (failRoll) {
        throw new IOException("disk full");
      }
      return ++rolls;
    }

    String capture() {
      captures++;
      return state;
    }

    void writeSnapshot(int generation, String snapshot) throws IOException {
      if (failSnapshot) {
        throw new IOException("disk full");
      }
      snapshots.add(generation + ":" + snapshot);
    }
  }

  /** Holds tasks until the test runs them, so it sees each step of the compaction. */
  private static final class ManualExecutor implements Executor {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void awaitAndRunOne() {
      await().atMost(Duration.ofSeconds(10)).until(() -> !tasks.isEmpty());
      tasks.poll().run();
    }
  }
}
