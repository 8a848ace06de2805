package io.groupwarden.coordinator.runtime;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts a coordinator's log, one compaction at a time: the log rolls to a new file; once every
 * record written to the old file is durable and replayed, the state is captured on the thread that
 * owns it and written in the background as the snapshot the new file starts from.
 *
 * @param <S> the captured state
 */
public final class LogCompaction<S> {
  private static final Logger LOG = LoggerFactory.getLogger(LogCompaction.class);

  /** Starts a new log file; returns the generation whose snapshot the compaction writes. */
  @FunctionalInterface
  public interface Roll {
    int roll() throws IOException;
  }

  /** Writes the captured state as the snapshot of a generation. */
  @FunctionalInterface
  public interface SnapshotWriter<S> {
    void write(int generation, S state) throws IOException;
  }

  private final String name;
  private final Executor owner;
  private final Executor background;
  private final FsyncBatcher fsync;
  // Read and written on the owning thread only.
  private boolean compacting;

  /**
   * @param name what the log holds, for the error messages
   * @param owner the thread the state lives on (requests and replay run there)
   * @param background where a snapshot is written, off the owning thread
   */
  public LogCompaction(String name, Executor owner, Executor background, FsyncBatcher fsync) {
    this.name = name;
    this.owner = owner;
    this.background = background;
    this.fsync = fsync;
  }

  /**
   * Starts a compaction if {@code due} and none is running; call on the owning thread.
   *
   * @param file the log's file, as the fsync batcher knows it from the log's writes
   * @param capture the state to snapshot, called on the owning thread
   */
  public void maybeCompact(
      FsyncBatcher.Durable file,
      BooleanSupplier due,
      Roll roll,
      Supplier<S> capture,
      SnapshotWriter<S> writer) {
    if (compacting || !due.getAsBoolean()) {
      return;
    }
    compacting = true;
    int generation;
    try {
      generation = roll.roll();
    } catch (IOException e) {
      LOG.error("cannot roll the {} log", name, e);
      compacting = false;
      return;
    }
    // Wait until every record written to the old file is replayed, then capture the state.
    fsync
        .sync(file)
        .whenComplete(
            (ok, error) -> owner.execute(() -> snapshot(generation, capture.get(), writer)));
  }

  private void snapshot(int generation, S state, SnapshotWriter<S> writer) {
    background.execute(
        () -> {
          try {
            writer.write(generation, state);
          } catch (IOException e) {
            LOG.error("{} log compaction failed", name, e);
          } finally {
            owner.execute(() -> compacting = false);
          }
        });
  }
}
