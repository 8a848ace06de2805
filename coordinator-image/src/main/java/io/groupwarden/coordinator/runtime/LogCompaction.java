package io.groupwarden.coordinator.runtime;

import io.groupwarden.coordinator.log.FsyncBatcher;
import java.io.IOException;
import java.util.concurrent.Executor;
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

  /** What a compaction needs of a log and of the state it snapshots. */
  public interface Source<S> {
    /** The log's file, as the fsync batcher knows it. */
    FsyncBatcher.Durable file();

    boolean needsCompaction();

    /** Starts a new file; returns the generation its snapshot is written for. */
    int roll() throws IOException;

    /** The state to snapshot; called on the owning thread. */
    S capture();

    void writeSnapshot(int generation, S state) throws IOException;
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

  /** Starts a compaction if the log wants one and none is running; call on the owning thread. */
  public void maybeCompact(Source<S> log) {
    if (compacting || !log.needsCompaction()) {
      return;
    }
    compacting = true;
    int generation;
    try {
      generation = log.roll();
    } catch (IOException e) {
      LOG.error("cannot roll the {} log", name, e);
      compacting = false;
      return;
    }
    // Wait until every record written to the old file is replayed, then capture the state.
    fsync
        .sync(log.file())
        .whenComplete((ok, error) -> owner.execute(() -> snapshot(log, generation)));
  }

  private void snapshot(Source<S> log, int generation) {
    S state = log.capture();
    background.execute(
        () -> {
          try {
            log.writeSnapshot(generation, state);
          } catch (IOException e) {
            LOG.error("{} log compaction failed", name, e);
          } finally {
            owner.execute(() -> compacting = false);
          }
        });
  }
}
